# cmake -DIN=file -DOUT=file.inc -DNAME=identifier -P EmbedText.cmake
# Writes IN's text into OUT as a C++ raw string constant NAME.
file(READ "${IN}" text)
file(WRITE "${OUT}" "// Generated from ${IN}; do not edit.\n"
  "static const char ${NAME}[] = R\"qlowembed(${text})qlowembed\";\n")
