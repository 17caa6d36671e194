# Input: lines "want got" (decimal floats). Fails (exit 1) and prints every
# line where |got - want| > atol + rtol * |want|, or where a value is not a
# finite number. atol/rtol may be set with -v.
BEGIN {
  if (atol == "") atol = 1e-5
  if (rtol == "") rtol = 1e-4
  bad = 0
  number = "^[-+]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][-+]?[0-9]+)?$"
}
{
  if (NF != 2 || $1 !~ number || $2 !~ number) {
    print "line " NR ": not two numbers: " $0
    bad = 1
    next
  }
  d = $2 - $1
  if (d < 0) d = -d
  w = $1 < 0 ? -$1 : $1
  if (d > atol + rtol * w) {
    print "line " NR ": want " $1 ", got " $2 " (|diff| " d ")"
    bad = 1
  }
}
END {
  if (NR == 0) {
    print "no values"
    exit 1
  }
  exit bad
}
