//===- Npy.cpp - NumPy .npy / .npz files ----------------------------------===//
#include "qlow/Support/Npy.h"

#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <zlib.h>

#include <limits>

using namespace llvm;

namespace qlow {

//===----------------------------------------------------------------------===//
// Dtypes and arrays
//===----------------------------------------------------------------------===//

namespace {

struct DtypeInfo {
  const char *descr;
  const char *shortName;
  int64_t size;
};

constexpr DtypeInfo kDtypes[] = {
    {"<f4", "f32", 4}, {"<f8", "f64", 8}, {"<f2", "f16", 2},
    {"|i1", "i8", 1},  {"|u1", "u8", 1},  {"<i4", "i32", 4},
    {"<i8", "i64", 8}, {"|b1", "bool", 1},
};

const DtypeInfo *lookupDtype(StringRef dtype) {
  for (const DtypeInfo &info : kDtypes)
    if (dtype == info.descr)
      return &info;
  return nullptr;
}

Error makeError(StringRef name, const Twine &message) {
  return createStringError(inconvertibleErrorCode(),
                           Twine(name).concat(": ").concat(message).str());
}

/// a * b, or std::nullopt on overflow of int64_t.
std::optional<int64_t> checkedMul(int64_t a, int64_t b) {
  int64_t r;
  if (__builtin_mul_overflow(a, b, &r))
    return std::nullopt;
  return r;
}

/// The element count of `shape`, or std::nullopt when a dimension is
/// negative or the product overflows.
std::optional<int64_t> checkedNumElements(ArrayRef<int64_t> shape) {
  int64_t n = 1;
  for (int64_t d : shape) {
    if (d < 0)
      return std::nullopt;
    std::optional<int64_t> m = checkedMul(n, d);
    if (!m)
      return std::nullopt;
    n = *m;
  }
  return n;
}

double halfToDouble(uint16_t bits) {
  APFloat f(APFloat::IEEEhalf(), APInt(16, bits));
  bool losesInfo;
  f.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven, &losesInfo);
  return f.convertToDouble();
}

} // namespace

std::optional<int64_t> npyItemSize(StringRef dtype) {
  if (const DtypeInfo *info = lookupDtype(dtype))
    return info->size;
  return std::nullopt;
}

std::optional<std::string> canonicalNpyDtype(StringRef dtype) {
  if (dtype.size() < 2)
    return std::nullopt;
  char order = dtype[0];
  StringRef rest = dtype;
  if (order == '<' || order == '>' || order == '|' || order == '=')
    rest = dtype.drop_front();
  else
    order = '='; // no byte-order character: native
  // One-byte types have no byte order.
  if (rest == "i1" || rest == "u1" || rest == "b1")
    return ("|" + rest).str();
  // This host is little-endian (qlow targets x86-64 and AArch64 Linux).
  if (order != '<' && order != '=')
    return std::nullopt;
  std::string canonical = ("<" + rest).str();
  if (!lookupDtype(canonical))
    return std::nullopt;
  return canonical;
}

std::optional<std::string> npyDtypeFromShortName(StringRef shortName) {
  for (const DtypeInfo &info : kDtypes)
    if (shortName == info.shortName)
      return std::string(info.descr);
  return std::nullopt;
}

std::string npyShortName(StringRef dtype) {
  if (const DtypeInfo *info = lookupDtype(dtype))
    return info->shortName;
  return dtype.str();
}

std::string formatShape(ArrayRef<int64_t> shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i)
      s += ", ";
    s += std::to_string(shape[i]);
  }
  return s + "]";
}

int64_t NpyArray::numElements() const {
  return checkedNumElements(shape).value_or(0);
}

int64_t NpyArray::itemSize() const { return npyItemSize(dtype).value_or(0); }

bool NpyArray::isFloat() const {
  return dtype == "<f4" || dtype == "<f8" || dtype == "<f2";
}

double NpyArray::getAsDouble(int64_t i) const {
  if (dtype == "<f4")
    return get<float>(i);
  if (dtype == "<f8")
    return get<double>(i);
  if (dtype == "<f2")
    return halfToDouble(get<uint16_t>(i));
  if (dtype == "|i1")
    return get<int8_t>(i);
  if (dtype == "|u1" || dtype == "|b1")
    return get<uint8_t>(i);
  if (dtype == "<i4")
    return get<int32_t>(i);
  if (dtype == "<i8")
    return static_cast<double>(get<int64_t>(i));
  return std::numeric_limits<double>::quiet_NaN();
}

std::vector<double> NpyArray::toDoubles() const {
  std::vector<double> values(numElements());
  for (int64_t i = 0, e = values.size(); i < e; ++i)
    values[i] = getAsDouble(i);
  return values;
}

std::vector<float> NpyArray::toFloats() const {
  std::vector<float> values(numElements());
  for (int64_t i = 0, e = values.size(); i < e; ++i)
    values[i] = dtype == "<f4" ? get<float>(i)
                               : static_cast<float>(getAsDouble(i));
  return values;
}

NpyArray NpyArray::zeros(StringRef dtype, ArrayRef<int64_t> shape) {
  NpyArray a;
  a.dtype = dtype.str();
  a.shape.assign(shape.begin(), shape.end());
  a.data.assign(a.numElements() * a.itemSize(), 0);
  return a;
}

Error NpyArray::verify(StringRef name) const {
  std::optional<int64_t> size = npyItemSize(dtype);
  if (!size)
    return makeError(name, "unsupported dtype '" + dtype + "'");
  std::optional<int64_t> n = checkedNumElements(shape);
  std::optional<int64_t> bytes = n ? checkedMul(*n, *size) : std::nullopt;
  if (!bytes)
    return makeError(name, "invalid shape " + formatShape(shape));
  if (static_cast<uint64_t>(*bytes) != data.size())
    return makeError(name, "shape " + formatShape(shape) + " of " + dtype +
                               " needs " + Twine(*bytes) + " bytes, data has " +
                               Twine(data.size()));
  return Error::success();
}

//===----------------------------------------------------------------------===//
// .npy reading
//===----------------------------------------------------------------------===//

namespace {

constexpr char kMagic[] = "\x93NUMPY";
constexpr size_t kMagicSize = 6;

/// A parser of the Python literal NumPy writes as the header:
///   {'descr': '<f4', 'fortran_order': False, 'shape': (1, 4), }
class HeaderParser {
public:
  explicit HeaderParser(StringRef text) : text(text) {}

  struct Header {
    std::optional<std::string> descr;
    std::optional<bool> fortranOrder;
    std::optional<std::vector<int64_t>> shape;
  };

  /// Parses the dict; returns an error message or "" on success.
  std::string parse(Header &header) {
    skipSpace();
    if (!consume('{'))
      return "header is not a dict";
    skipSpace();
    while (!consume('}')) {
      std::string key;
      if (!parseString(key))
        return "expected a quoted key in the header";
      skipSpace();
      if (!consume(':'))
        return "expected ':' after '" + key + "' in the header";
      skipSpace();
      if (key == "descr") {
        if (header.descr)
          return "duplicate key 'descr'";
        if (peek() == '[')
          return "structured dtypes are not supported";
        std::string descr;
        if (!parseString(descr))
          return "'descr' is not a string";
        header.descr = descr;
      } else if (key == "fortran_order") {
        if (header.fortranOrder)
          return "duplicate key 'fortran_order'";
        if (consumeWord("True"))
          header.fortranOrder = true;
        else if (consumeWord("False"))
          header.fortranOrder = false;
        else
          return "'fortran_order' is not True or False";
      } else if (key == "shape") {
        if (header.shape)
          return "duplicate key 'shape'";
        std::vector<int64_t> shape;
        std::string error = parseShape(shape);
        if (!error.empty())
          return error;
        header.shape = std::move(shape);
      } else {
        return "unexpected key '" + key + "' in the header";
      }
      skipSpace();
      if (consume(','))
        skipSpace();
      else if (peek() != '}')
        return "expected ',' or '}' in the header";
    }
    skipSpace();
    if (pos != text.size())
      return "unexpected text after the header dict";
    if (!header.descr || !header.fortranOrder || !header.shape)
      return "header lacks one of 'descr', 'fortran_order', 'shape'";
    return "";
  }

private:
  char peek() const { return pos < text.size() ? text[pos] : '\0'; }
  bool consume(char c) {
    if (peek() != c)
      return false;
    ++pos;
    return true;
  }
  bool consumeWord(StringRef word) {
    if (!text.substr(pos).starts_with(word))
      return false;
    pos += word.size();
    return true;
  }
  void skipSpace() {
    while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t' ||
                                 text[pos] == '\n' || text[pos] == '\r'))
      ++pos;
  }
  bool parseString(std::string &out) {
    char quote = peek();
    if (quote != '\'' && quote != '"')
      return false;
    ++pos;
    while (pos < text.size() && text[pos] != quote) {
      if (text[pos] == '\\' && pos + 1 < text.size())
        ++pos;
      out += text[pos++];
    }
    return consume(quote);
  }
  std::string parseShape(std::vector<int64_t> &shape) {
    if (!consume('('))
      return "'shape' is not a tuple";
    skipSpace();
    while (!consume(')')) {
      if (peek() == '-')
        return "negative dimension in 'shape'";
      if (!isDigit(peek()))
        return "'shape' is not a tuple of integers";
      uint64_t value = 0;
      while (isDigit(peek())) {
        value = value * 10 + (text[pos++] - '0');
        if (value > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
          return "dimension too large in 'shape'";
      }
      consume('L'); // Python 2 long literals in old files
      shape.push_back(static_cast<int64_t>(value));
      skipSpace();
      if (consume(','))
        skipSpace();
      else if (peek() != ')')
        return "expected ',' or ')' in 'shape'";
    }
    return "";
  }

  StringRef text;
  size_t pos = 0;
};

} // namespace

Expected<NpyArray> parseNpy(StringRef bytes, StringRef name) {
  if (bytes.size() < kMagicSize + 2 ||
      bytes.substr(0, kMagicSize) != StringRef(kMagic, kMagicSize))
    return makeError(name, "not a .npy file (bad magic)");
  unsigned major = static_cast<unsigned char>(bytes[6]);
  unsigned minor = static_cast<unsigned char>(bytes[7]);
  if ((major != 1 && major != 2 && major != 3) || minor != 0)
    return makeError(name, "unsupported .npy format version " + Twine(major) +
                               "." + Twine(minor));
  size_t lenSize = major == 1 ? 2 : 4;
  size_t prefix = kMagicSize + 2 + lenSize;
  if (bytes.size() < prefix)
    return makeError(name, "truncated .npy header");
  uint64_t headerLen =
      major == 1 ? support::endian::read16le(bytes.data() + 8)
                 : support::endian::read32le(bytes.data() + 8);
  if (headerLen > bytes.size() - prefix)
    return makeError(name, "truncated .npy header (needs " + Twine(headerLen) +
                               " bytes, file has " +
                               Twine(bytes.size() - prefix) + ")");
  StringRef headerText = bytes.substr(prefix, headerLen);

  HeaderParser::Header header;
  std::string error = HeaderParser(headerText).parse(header);
  if (!error.empty())
    return makeError(name, "bad .npy header: " + error);
  if (*header.fortranOrder)
    return makeError(name, "Fortran-ordered arrays are not supported "
                           "(write a C-ordered array: np.ascontiguousarray)");
  std::optional<std::string> dtype = canonicalNpyDtype(*header.descr);
  if (!dtype)
    return makeError(
        name, "unsupported dtype '" + *header.descr +
                  "' (supported: little-endian <f4 <f8 <f2 |i1 |u1 <i4 <i8 |b1)");

  NpyArray array;
  array.dtype = *dtype;
  array.shape = std::move(*header.shape);
  std::optional<int64_t> n = checkedNumElements(array.shape);
  std::optional<int64_t> nbytes =
      n ? checkedMul(*n, array.itemSize()) : std::nullopt;
  if (!nbytes)
    return makeError(name, "shape " + formatShape(array.shape) + " is too large");
  StringRef payload = bytes.substr(prefix + headerLen);
  if (static_cast<uint64_t>(*nbytes) != payload.size())
    return makeError(name, "data size mismatch: shape " +
                               formatShape(array.shape) + " of " + array.dtype +
                               " needs " + Twine(*nbytes) + " bytes, file has " +
                               Twine(payload.size()));
  array.data.assign(payload.begin(), payload.end());
  return array;
}

namespace {
Expected<std::unique_ptr<MemoryBuffer>> readFile(StringRef path) {
  if (sys::fs::is_directory(path))
    return makeError(path, "is a directory");
  ErrorOr<std::unique_ptr<MemoryBuffer>> buffer = MemoryBuffer::getFile(
      path, /*IsText=*/false, /*RequiresNullTerminator=*/false);
  if (!buffer)
    return makeError(path, "cannot read: " + buffer.getError().message());
  return std::move(*buffer);
}
} // namespace

Expected<NpyArray> readNpy(StringRef path) {
  Expected<std::unique_ptr<MemoryBuffer>> buffer = readFile(path);
  if (!buffer)
    return buffer.takeError();
  return parseNpy((*buffer)->getBuffer(), path);
}

//===----------------------------------------------------------------------===//
// .npz reading
//===----------------------------------------------------------------------===//

namespace {

constexpr uint32_t kLocalSig = 0x04034b50;
constexpr uint32_t kCentralSig = 0x02014b50;
constexpr uint32_t kEndSig = 0x06054b50;
constexpr uint32_t kZip64LocatorSig = 0x07064b50;
constexpr size_t kLocalSize = 30, kCentralSize = 46, kEndSize = 22;

uint16_t rd16(StringRef b, size_t off) {
  return support::endian::read16le(b.data() + off);
}
uint32_t rd32(StringRef b, size_t off) {
  return support::endian::read32le(b.data() + off);
}

uint32_t crc32Of(StringRef data) {
  uLong crc = ::crc32(0L, Z_NULL, 0);
  // zlib's length is a uInt: feed large buffers in pieces.
  while (!data.empty()) {
    size_t n = std::min<size_t>(data.size(), 1u << 30);
    crc = ::crc32(crc, reinterpret_cast<const Bytef *>(data.data()),
                  static_cast<uInt>(n));
    data = data.drop_front(n);
  }
  return static_cast<uint32_t>(crc);
}

/// Inflates raw deflate data that must produce exactly `size` bytes.
Error inflateRaw(StringRef in, uint32_t size, std::string &out,
                 StringRef name) {
  out.assign(size, '\0');
  z_stream zs{};
  if (inflateInit2(&zs, -MAX_WBITS) != Z_OK)
    return makeError(name, "cannot initialize zlib");
  // Both sizes come from 32-bit ZIP fields, so they fit zlib's uInt.
  zs.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  zs.next_out = reinterpret_cast<Bytef *>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  int rc;
  do // Z_OK means progress was made; zlib answers Z_BUF_ERROR when stuck.
    rc = inflate(&zs, Z_NO_FLUSH);
  while (rc == Z_OK);
  std::string detail = zs.msg ? std::string(" (") + zs.msg + ")" : "";
  uInt outLeft = zs.avail_out;
  inflateEnd(&zs);
  if (rc != Z_STREAM_END)
    return makeError(name, "corrupt deflate data" + detail);
  if (outLeft != 0)
    return makeError(name, "deflate data is shorter than its declared size");
  return Error::success();
}

} // namespace

Expected<NpzMap> parseNpz(StringRef bytes, StringRef name) {
  // The end-of-central-directory record: the last "PK\5\6" whose comment
  // fits in the file.
  if (bytes.size() < kEndSize)
    return makeError(name, "not a .npz file (no ZIP end record)");
  size_t end = StringRef::npos;
  size_t lowest = bytes.size() - kEndSize >= 0xFFFF
                      ? bytes.size() - kEndSize - 0xFFFF
                      : 0;
  for (size_t off = bytes.size() - kEndSize + 1; off-- > lowest;) {
    if (rd32(bytes, off) == kEndSig &&
        off + kEndSize + rd16(bytes, off + 20) <= bytes.size()) {
      end = off;
      break;
    }
  }
  if (end == StringRef::npos)
    return makeError(name, "not a .npz file (no ZIP end record)");
  if (end >= 20 && rd32(bytes, end - 20) == kZip64LocatorSig)
    return makeError(name, "ZIP64 archives are not supported");
  uint16_t disk = rd16(bytes, end + 4), cdDisk = rd16(bytes, end + 6);
  uint16_t diskEntries = rd16(bytes, end + 8), entries = rd16(bytes, end + 10);
  uint32_t cdSize = rd32(bytes, end + 12), cdOffset = rd32(bytes, end + 16);
  if (entries == 0xFFFF || cdSize == 0xFFFFFFFF || cdOffset == 0xFFFFFFFF)
    return makeError(name, "ZIP64 archives are not supported");
  if (disk != 0 || cdDisk != 0 || diskEntries != entries)
    return makeError(name, "multi-part ZIP archives are not supported");
  if (static_cast<uint64_t>(cdOffset) + cdSize > end)
    return makeError(name, "corrupt ZIP archive (central directory out of "
                           "bounds)");

  NpzMap arrays;
  size_t pos = cdOffset, cdEnd = static_cast<size_t>(cdOffset) + cdSize;
  for (unsigned i = 0; i < entries; ++i) {
    if (pos + kCentralSize > cdEnd || rd32(bytes, pos) != kCentralSig)
      return makeError(name, "corrupt ZIP archive (bad central directory "
                             "entry " + Twine(i) + ")");
    uint16_t flags = rd16(bytes, pos + 8), method = rd16(bytes, pos + 10);
    uint32_t crc = rd32(bytes, pos + 16);
    uint32_t compSize = rd32(bytes, pos + 20), size = rd32(bytes, pos + 24);
    uint16_t nameLen = rd16(bytes, pos + 28), extraLen = rd16(bytes, pos + 30);
    uint16_t commentLen = rd16(bytes, pos + 32);
    uint32_t localOffset = rd32(bytes, pos + 42);
    size_t next = pos + kCentralSize + nameLen + extraLen + commentLen;
    if (next > cdEnd)
      return makeError(name, "corrupt ZIP archive (central directory entry " +
                                 Twine(i) + " out of bounds)");
    std::string member = bytes.substr(pos + kCentralSize, nameLen).str();
    pos = next;
    std::string where = (name + ": member '" + member + "'").str();
    if (compSize == 0xFFFFFFFF || size == 0xFFFFFFFF ||
        localOffset == 0xFFFFFFFF)
      return makeError(where, "ZIP64 archives are not supported");
    if (flags & 1)
      return makeError(where, "encrypted members are not supported");
    if (method != 0 && method != 8)
      return makeError(where, "unsupported compression method " +
                                  Twine(method) + " (only stored and deflate)");
    if (StringRef(member).ends_with("/"))
      continue; // a directory
    if (static_cast<uint64_t>(localOffset) + kLocalSize > cdOffset ||
        rd32(bytes, localOffset) != kLocalSig)
      return makeError(where, "corrupt ZIP archive (bad local header)");
    uint64_t dataStart = static_cast<uint64_t>(localOffset) + kLocalSize +
                         rd16(bytes, localOffset + 26) +
                         rd16(bytes, localOffset + 28);
    if (dataStart + compSize > cdOffset)
      return makeError(where, "corrupt ZIP archive (data out of bounds)");
    if (rd16(bytes, localOffset + 26) != nameLen ||
        bytes.substr(localOffset + kLocalSize, nameLen) != member)
      return makeError(where, "corrupt ZIP archive (local header names "
                              "another member)");
    StringRef compressed = bytes.substr(dataStart, compSize);

    std::string inflated;
    StringRef content;
    if (method == 0) {
      if (compSize != size)
        return makeError(where, "corrupt ZIP archive (stored member sizes "
                                "differ)");
      content = compressed;
    } else {
      // Deflate expands at most ~1032:1; a larger declared size is corrupt
      // (and must not make us allocate gigabytes).
      if (size > static_cast<uint64_t>(compSize) * 1032 + 1024)
        return makeError(where, "corrupt ZIP archive (implausible size)");
      if (Error e = inflateRaw(compressed, size, inflated, where))
        return std::move(e);
      content = inflated;
    }
    if (crc32Of(content) != crc)
      return makeError(where, "CRC mismatch (corrupt archive)");

    Expected<NpyArray> array = parseNpy(content, where);
    if (!array)
      return array.takeError();
    std::string key = member;
    if (StringRef(key).ends_with(".npy"))
      key.resize(key.size() - 4);
    if (!arrays.emplace(key, std::move(*array)).second)
      return makeError(where, "duplicate array name '" + key + "'");
  }
  return arrays;
}

Expected<NpzMap> readNpz(StringRef path) {
  Expected<std::unique_ptr<MemoryBuffer>> buffer = readFile(path);
  if (!buffer)
    return buffer.takeError();
  return parseNpz((*buffer)->getBuffer(), path);
}

//===----------------------------------------------------------------------===//
// Writing
//===----------------------------------------------------------------------===//

namespace {

std::string npyBytes(const NpyArray &array) {
  std::string dict = "{'descr': '" + array.dtype +
                     "', 'fortran_order': False, 'shape': (";
  for (size_t i = 0; i < array.shape.size(); ++i) {
    if (i)
      dict += ", ";
    dict += std::to_string(array.shape[i]);
  }
  if (array.shape.size() == 1)
    dict += ",";
  dict += "), }";
  // Pad with spaces and a final newline so that the data starts at a
  // multiple of 64 bytes.
  size_t prefix = kMagicSize + 2 + 2;
  unsigned major = 1;
  if (alignTo(prefix + dict.size() + 1, 64) - prefix > 0xFFFF) {
    prefix = kMagicSize + 2 + 4;
    major = 2;
  }
  size_t total = alignTo(prefix + dict.size() + 1, 64);
  dict.append(total - prefix - dict.size() - 1, ' ');
  dict += '\n';

  std::string out(kMagic, kMagicSize);
  out += static_cast<char>(major);
  out += '\0';
  char len[4];
  if (major == 1) {
    support::endian::write16le(len, static_cast<uint16_t>(dict.size()));
    out.append(len, 2);
  } else {
    support::endian::write32le(len, static_cast<uint32_t>(dict.size()));
    out.append(len, 4);
  }
  out += dict;
  out.append(array.data.begin(), array.data.end());
  return out;
}

Error writeStream(raw_ostream &os, StringRef bytes) {
  os << bytes;
  return Error::success();
}

/// Writes `path` through a temporary file in its directory, renamed into
/// place only when `write` succeeded and everything reached the disk.
Error writeAtomically(StringRef path,
                      function_ref<Error(raw_ostream &)> write) {
  Expected<sys::fs::TempFile> temp =
      sys::fs::TempFile::create(path + ".tmp-%%%%%%%%");
  if (!temp)
    return makeError(path, "cannot create: " + toString(temp.takeError()));
  std::error_code ec;
  {
    raw_fd_ostream os(temp->FD, /*shouldClose=*/false);
    if (Error e = write(os)) {
      consumeError(temp->discard());
      return e;
    }
    os.flush();
    ec = os.error();
    os.clear_error();
  }
  if (ec) {
    consumeError(temp->discard());
    return makeError(path, "cannot write: " + ec.message());
  }
  if (Error e = temp->keep(path))
    return makeError(path, "cannot write: " + toString(std::move(e)));
  return Error::success();
}

void put16(std::string &s, uint16_t v) {
  char b[2];
  support::endian::write16le(b, v);
  s.append(b, 2);
}
void put32(std::string &s, uint32_t v) {
  char b[4];
  support::endian::write32le(b, v);
  s.append(b, 4);
}

Expected<std::string> deflateRaw(StringRef in) {
  z_stream zs{};
  if (deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -MAX_WBITS, 8,
                   Z_DEFAULT_STRATEGY) != Z_OK)
    return createStringError(inconvertibleErrorCode(),
                             "cannot initialize zlib");
  std::string out(deflateBound(&zs, static_cast<uLong>(in.size())), '\0');
  zs.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  zs.next_out = reinterpret_cast<Bytef *>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  int rc = deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  if (rc != Z_STREAM_END)
    return createStringError(inconvertibleErrorCode(), "deflate failed");
  return out;
}

} // namespace

Error writeNpy(raw_ostream &os, const NpyArray &array) {
  if (Error e = array.verify("cannot write .npy"))
    return e;
  return writeStream(os, npyBytes(array));
}

Error writeNpy(StringRef path, const NpyArray &array) {
  if (Error e = array.verify(path))
    return e;
  std::string bytes = npyBytes(array);
  return writeAtomically(path,
                         [&](raw_ostream &os) { return writeStream(os, bytes); });
}

Error writeNpz(raw_ostream &os, const NpzMap &arrays, bool compress) {
  if (arrays.size() >= 0xFFFF)
    return createStringError(inconvertibleErrorCode(),
                             "too many arrays for a .npz archive");
  std::string body, central;
  for (const auto &[key, array] : arrays) {
    std::string member = key + ".npy";
    if (Error e = array.verify("cannot write .npz member '" + member + "'"))
      return e;
    if (member.size() > 0xFFFF)
      return createStringError(inconvertibleErrorCode(),
                               "array name too long: '%s'", key.c_str());
    std::string content = npyBytes(array);
    std::string data = content;
    if (compress) {
      if (content.size() > std::numeric_limits<uInt>::max())
        return createStringError(inconvertibleErrorCode(),
                                 "array '%s' is too large", key.c_str());
      Expected<std::string> deflated = deflateRaw(content);
      if (!deflated)
        return deflated.takeError();
      data = std::move(*deflated);
    }
    if (content.size() >= 0xFFFFFFFF || data.size() >= 0xFFFFFFFF ||
        body.size() >= 0xFFFFFFFF)
      return createStringError(inconvertibleErrorCode(),
                               "array '%s' needs a ZIP64 archive, which is "
                               "not supported",
                               key.c_str());
    uint32_t crc = crc32Of(content);
    uint16_t method = compress ? 8 : 0;
    uint32_t offset = static_cast<uint32_t>(body.size());
    // Local header: version 2.0, no flags, DOS time 1980-01-01 00:00.
    put32(body, kLocalSig);
    put16(body, 20);
    put16(body, 0);
    put16(body, method);
    put16(body, 0);
    put16(body, 0x21);
    put32(body, crc);
    put32(body, static_cast<uint32_t>(data.size()));
    put32(body, static_cast<uint32_t>(content.size()));
    put16(body, static_cast<uint16_t>(member.size()));
    put16(body, 0);
    body += member;
    body += data;

    put32(central, kCentralSig);
    put16(central, 0x0314); // made by: Unix, version 2.0
    put16(central, 20);
    put16(central, 0);
    put16(central, method);
    put16(central, 0);
    put16(central, 0x21);
    put32(central, crc);
    put32(central, static_cast<uint32_t>(data.size()));
    put32(central, static_cast<uint32_t>(content.size()));
    put16(central, static_cast<uint16_t>(member.size()));
    put16(central, 0);
    put16(central, 0);
    put16(central, 0);
    put16(central, 0);
    put32(central, 0644u << 16); // external attributes: -rw-r--r--
    put32(central, offset);
    central += member;
  }
  if (body.size() + central.size() >= 0xFFFFFFFF)
    return createStringError(inconvertibleErrorCode(),
                             "archive needs ZIP64, which is not supported");
  std::string endRecord;
  put32(endRecord, kEndSig);
  put16(endRecord, 0);
  put16(endRecord, 0);
  put16(endRecord, static_cast<uint16_t>(arrays.size()));
  put16(endRecord, static_cast<uint16_t>(arrays.size()));
  put32(endRecord, static_cast<uint32_t>(central.size()));
  put32(endRecord, static_cast<uint32_t>(body.size()));
  put16(endRecord, 0);
  os << body << central << endRecord;
  return Error::success();
}

Error writeNpz(StringRef path, const NpzMap &arrays, bool compress) {
  std::string bytes;
  raw_string_ostream os(bytes);
  if (Error e = writeNpz(os, arrays, compress))
    return makeError(path, toString(std::move(e)));
  os.flush();
  return writeAtomically(path,
                         [&](raw_ostream &out) { return writeStream(out, bytes); });
}

} // namespace qlow
