//===- NpyTest.cpp - .npy / .npz reading and writing ----------------------===//
#include "qlow/Support/Npy.h"

#include "llvm/Support/Endian.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <cmath>
#include <random>

using namespace qlow;
using llvm::StringRef;

namespace {

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

const char *const kAllDtypes[] = {"<f4", "<f8", "<f2", "|i1",
                                  "|u1", "<i4", "<i8"};

std::string fixture(StringRef name) {
  return (StringRef(QLOW_NPY_FIXTURES) + "/" + name).str();
}

/// An array of `dtype` and `shape` whose bytes follow a pattern.
NpyArray patterned(StringRef dtype, std::vector<int64_t> shape) {
  NpyArray a = NpyArray::zeros(dtype, shape);
  for (size_t i = 0; i < a.data.size(); ++i)
    a.data[i] = static_cast<char>(i * 37 + 11);
  return a;
}

std::string toBytes(const NpyArray &a) {
  std::string s;
  llvm::raw_string_ostream os(s);
  llvm::Error e = writeNpy(os, a);
  EXPECT_FALSE(static_cast<bool>(e)) << llvm::toString(std::move(e));
  return s;
}

std::string npzBytes(const NpzMap &arrays, bool compress) {
  std::string s;
  llvm::raw_string_ostream os(s);
  llvm::Error e = writeNpz(os, arrays, compress);
  EXPECT_FALSE(static_cast<bool>(e)) << llvm::toString(std::move(e));
  return s;
}

/// The error message of `value`, or "" when it holds a value.
template <typename T> std::string errorOf(llvm::Expected<T> value) {
  if (value)
    return "";
  return llvm::toString(value.takeError());
}

std::string errorOf(llvm::Error e) {
  return e ? llvm::toString(std::move(e)) : "";
}

/// The .npy bytes of a raw header text (version `major`) and payload.
std::string rawNpy(StringRef header, StringRef payload = "",
                   unsigned major = 1) {
  std::string s("\x93NUMPY", 6);
  s += static_cast<char>(major);
  s += '\0';
  char len[4];
  if (major == 1) {
    llvm::support::endian::write16le(len, header.size());
    s.append(len, 2);
  } else {
    llvm::support::endian::write32le(len, header.size());
    s.append(len, 4);
  }
  s += header;
  s += payload;
  return s;
}

std::string floats(std::initializer_list<float> values) {
  return std::string(reinterpret_cast<const char *>(values.begin()),
                     values.size() * sizeof(float));
}

/// A minimal ZIP writer independent of writeNpz, so the reader is tested
/// against archives laid out differently (extra fields, directories,
/// duplicate names, numpy's ZIP64 extra field in local headers).
struct ZipEntry {
  std::string name;
  std::string content;
  bool deflate = false;
  std::string localExtra;
};

void put16(std::string &s, uint16_t v) {
  char b[2];
  llvm::support::endian::write16le(b, v);
  s.append(b, 2);
}
void put32(std::string &s, uint32_t v) {
  char b[4];
  llvm::support::endian::write32le(b, v);
  s.append(b, 4);
}

std::string deflateRaw(StringRef in) {
  z_stream zs{};
  deflateInit2(&zs, 9, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&zs, in.size()), '\0');
  zs.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(in.data()));
  zs.avail_in = in.size();
  zs.next_out = reinterpret_cast<Bytef *>(out.data());
  zs.avail_out = out.size();
  EXPECT_EQ(deflate(&zs, Z_FINISH), Z_STREAM_END);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

std::string makeZip(const std::vector<ZipEntry> &entries) {
  std::string body, central;
  for (const ZipEntry &e : entries) {
    std::string data = e.deflate ? deflateRaw(e.content) : e.content;
    uint32_t crc = crc32(0, reinterpret_cast<const Bytef *>(e.content.data()),
                         e.content.size());
    uint32_t offset = body.size();
    put32(body, 0x04034b50);
    put16(body, 45);
    put16(body, 0);
    put16(body, e.deflate ? 8 : 0);
    put16(body, 0);
    put16(body, 0);
    put32(body, crc);
    put32(body, data.size());
    put32(body, e.content.size());
    put16(body, e.name.size());
    put16(body, e.localExtra.size());
    body += e.name + e.localExtra + data;
    put32(central, 0x02014b50);
    put16(central, 0x0314);
    put16(central, 20);
    put16(central, 0);
    put16(central, e.deflate ? 8 : 0);
    put16(central, 0);
    put16(central, 0);
    put32(central, crc);
    put32(central, data.size());
    put32(central, e.content.size());
    put16(central, e.name.size());
    put16(central, 0);
    put16(central, 0);
    put16(central, 0);
    put16(central, 0);
    put32(central, 0);
    put32(central, offset);
    central += e.name;
  }
  std::string end;
  put32(end, 0x06054b50);
  put16(end, 0);
  put16(end, 0);
  put16(end, entries.size());
  put16(end, entries.size());
  put32(end, central.size());
  put32(end, body.size());
  put16(end, 0);
  return body + central + end;
}

/// A temporary directory removed at the end of a test.
struct TempDir {
  llvm::SmallString<128> path;
  TempDir() {
    EXPECT_FALSE(llvm::sys::fs::createUniqueDirectory("qlow-npy-test", path));
  }
  ~TempDir() { llvm::sys::fs::remove_directories(path); }
  std::string file(StringRef name) const {
    return (path + "/" + name).str();
  }
  std::vector<std::string> entries() const {
    std::vector<std::string> names;
    std::error_code ec;
    for (llvm::sys::fs::directory_iterator it(path, ec), end;
         it != end && !ec; it.increment(ec))
      names.push_back(llvm::sys::path::filename(it->path()).str());
    std::sort(names.begin(), names.end());
    return names;
  }
};

//===----------------------------------------------------------------------===//
// Dtypes and helpers
//===----------------------------------------------------------------------===//

TEST(Npy, DtypeNames) {
  EXPECT_EQ(npyItemSize("<f4"), 4);
  EXPECT_EQ(npyItemSize("<f8"), 8);
  EXPECT_EQ(npyItemSize("<f2"), 2);
  EXPECT_EQ(npyItemSize("|i1"), 1);
  EXPECT_EQ(npyItemSize("|u1"), 1);
  EXPECT_EQ(npyItemSize("<i4"), 4);
  EXPECT_EQ(npyItemSize("<i8"), 8);
  EXPECT_EQ(npyItemSize(">f4"), std::nullopt);
  EXPECT_EQ(npyItemSize("<c8"), std::nullopt);

  EXPECT_EQ(canonicalNpyDtype("<f4"), "<f4");
  EXPECT_EQ(canonicalNpyDtype("=f4"), "<f4");
  EXPECT_EQ(canonicalNpyDtype("f8"), "<f8");
  EXPECT_EQ(canonicalNpyDtype("<i1"), "|i1");
  EXPECT_EQ(canonicalNpyDtype("i1"), "|i1");
  EXPECT_EQ(canonicalNpyDtype("|u1"), "|u1");
  EXPECT_EQ(canonicalNpyDtype(">f4"), std::nullopt);
  EXPECT_EQ(canonicalNpyDtype("|f4"), std::nullopt);
  EXPECT_EQ(canonicalNpyDtype("|b1"), "|b1"); // bool: ONNX BOOL inputs
  EXPECT_EQ(canonicalNpyDtype("b1"), "|b1");
  EXPECT_EQ(npyItemSize("|b1"), 1);
  EXPECT_EQ(canonicalNpyDtype("<U4"), std::nullopt);
  EXPECT_EQ(canonicalNpyDtype("<c8"), std::nullopt);
  EXPECT_EQ(canonicalNpyDtype(""), std::nullopt);
  EXPECT_EQ(canonicalNpyDtype("<"), std::nullopt);

  for (const char *d : kAllDtypes) {
    std::string shortName = npyShortName(d);
    EXPECT_EQ(npyDtypeFromShortName(shortName), std::string(d));
  }
  EXPECT_EQ(npyShortName("<f4"), "f32");
  EXPECT_EQ(npyShortName("|u1"), "u8");
  EXPECT_EQ(npyDtypeFromShortName("float"), std::nullopt);
  EXPECT_EQ(formatShape({}), "[]");
  EXPECT_EQ(formatShape({1, 4}), "[1, 4]");
}

TEST(Npy, ArrayHelpers) {
  NpyArray a = NpyArray::fromFloats({2, 2}, {1.0f, -2.5f, 3.0f, 0.0f});
  EXPECT_EQ(a.numElements(), 4);
  EXPECT_EQ(a.itemSize(), 4);
  EXPECT_TRUE(a.isFloat());
  EXPECT_EQ(a.get<float>(1), -2.5f);
  EXPECT_EQ(a.toDoubles(), (std::vector<double>{1.0, -2.5, 3.0, 0.0}));
  EXPECT_EQ(a.toFloats(), (std::vector<float>{1.0f, -2.5f, 3.0f, 0.0f}));
  EXPECT_FALSE(static_cast<bool>(a.verify("a")));

  NpyArray h = NpyArray::create<uint16_t>("<f2", {3}, {0x3C00, 0xB800, 0x7C00});
  EXPECT_EQ(h.getAsDouble(0), 1.0);
  EXPECT_EQ(h.getAsDouble(1), -0.5);
  EXPECT_TRUE(std::isinf(h.getAsDouble(2)));

  NpyArray i = NpyArray::create<int8_t>("|i1", {2}, {-128, 127});
  EXPECT_FALSE(i.isFloat());
  EXPECT_EQ(i.toDoubles(), (std::vector<double>{-128, 127}));
  NpyArray u = NpyArray::create<uint8_t>("|u1", {1}, {255});
  EXPECT_EQ(u.getAsDouble(0), 255);

  NpyArray scalar = NpyArray::zeros("<i8", {});
  EXPECT_EQ(scalar.numElements(), 1);
  EXPECT_EQ(scalar.data.size(), 8u);
  NpyArray empty = NpyArray::zeros("<f4", {3, 0});
  EXPECT_EQ(empty.numElements(), 0);
  EXPECT_TRUE(empty.data.empty());

  NpyArray bad = a;
  bad.data.pop_back();
  EXPECT_NE(errorOf(bad.verify("arr")).find("arr: shape [2, 2] of <f4 needs "
                                            "16 bytes, data has 15"),
            std::string::npos);
  bad = a;
  bad.dtype = "<c8";
  EXPECT_NE(errorOf(bad.verify("arr")).find("unsupported dtype '<c8'"),
            std::string::npos);
  bad = a;
  bad.shape = {-1, -4};
  EXPECT_NE(errorOf(bad.verify("arr")).find("invalid shape"),
            std::string::npos);
}

//===----------------------------------------------------------------------===//
// .npy round trips
//===----------------------------------------------------------------------===//

TEST(Npy, RoundTripEveryDtypeAndShape) {
  const std::vector<std::vector<int64_t>> shapes = {
      {}, {0}, {1}, {5}, {2, 3}, {1, 0, 4}, {2, 1, 2, 2}, {3, 1}};
  for (const char *dtype : kAllDtypes) {
    for (const auto &shape : shapes) {
      SCOPED_TRACE(std::string(dtype) + " " + formatShape(shape));
      NpyArray a = patterned(dtype, shape);
      std::string bytes = toBytes(a);
      // The data starts at a multiple of 64 bytes; the header ends in '\n'.
      EXPECT_EQ((bytes.size() - a.data.size()) % 64, 0u);
      EXPECT_EQ(bytes[bytes.size() - a.data.size() - 1], '\n');
      llvm::Expected<NpyArray> b = parseNpy(bytes, "mem");
      ASSERT_TRUE(static_cast<bool>(b)) << llvm::toString(b.takeError());
      EXPECT_EQ(b->dtype, a.dtype);
      EXPECT_EQ(b->shape, a.shape);
      EXPECT_EQ(b->data, a.data);
    }
  }
}

TEST(Npy, HeaderTextMatchesNumPy) {
  std::string bytes = toBytes(NpyArray::fromFloats({4}, {1, 2, 3, 4}));
  EXPECT_NE(bytes.find("{'descr': '<f4', 'fortran_order': False, "
                       "'shape': (4,), }"),
            std::string::npos);
  bytes = toBytes(NpyArray::zeros("|i1", {}));
  EXPECT_NE(bytes.find("'shape': (), }"), std::string::npos);
  bytes = toBytes(NpyArray::zeros("<i4", {1, 4}));
  EXPECT_NE(bytes.find("'shape': (1, 4), }"), std::string::npos);
  EXPECT_EQ(bytes[6], 1); // version 1.0
  EXPECT_EQ(bytes[7], 0);
}

TEST(Npy, LongHeaderUsesVersion2) {
  // 30000 dimensions of 1: the header no longer fits version 1.0's 16 bits.
  NpyArray a = NpyArray::zeros("<f4", std::vector<int64_t>(30000, 1));
  std::string bytes = toBytes(a);
  EXPECT_EQ(bytes[6], 2);
  EXPECT_EQ((bytes.size() - 4) % 64, 0u);
  llvm::Expected<NpyArray> b = parseNpy(bytes, "mem");
  ASSERT_TRUE(static_cast<bool>(b)) << llvm::toString(b.takeError());
  EXPECT_EQ(b->shape.size(), 30000u);
}

TEST(Npy, ReadsVersions2And3AndHeaderVariants) {
  std::string payload = floats({1, 2});
  for (unsigned major : {1u, 2u, 3u}) {
    for (StringRef header :
         {"{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }\n",
          "{\"shape\": (2,), \"descr\": \"<f4\", \"fortran_order\": False}",
          "  {'fortran_order':False,'shape':(2L,),'descr':'f4'}   \n",
          "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 2)}"}) {
      SCOPED_TRACE(header.str() + " v" + std::to_string(major));
      llvm::Expected<NpyArray> a =
          parseNpy(rawNpy(header, payload, major), "mem");
      ASSERT_TRUE(static_cast<bool>(a)) << llvm::toString(a.takeError());
      EXPECT_EQ(a->dtype, "<f4");
      EXPECT_EQ(a->numElements(), 2);
      EXPECT_EQ(a->toFloats(), (std::vector<float>{1, 2}));
    }
  }
}

TEST(Npy, FileRoundTripLeavesNoTemporaries) {
  TempDir dir;
  NpyArray a = patterned("<i4", {3, 2});
  std::string path = dir.file("a.npy");
  ASSERT_EQ(errorOf(writeNpy(path, a)), "");
  // Overwriting an existing file works the same way.
  ASSERT_EQ(errorOf(writeNpy(path, a)), "");
  llvm::Expected<NpyArray> b = readNpy(path);
  ASSERT_TRUE(static_cast<bool>(b)) << llvm::toString(b.takeError());
  EXPECT_EQ(b->data, a.data);
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"a.npy"});
}

TEST(Npy, WriteErrorsLeaveNothing) {
  TempDir dir;
  NpyArray bad = patterned("<f4", {2});
  bad.data.resize(3);
  std::string err = errorOf(writeNpy(dir.file("bad.npy"), bad));
  EXPECT_NE(err.find("bad.npy"), std::string::npos) << err;
  EXPECT_NE(err.find("needs 8 bytes"), std::string::npos) << err;
  bad = patterned("<f4", {2});
  bad.dtype = ">f4";
  EXPECT_NE(errorOf(writeNpy(dir.file("bad.npy"), bad)).find("unsupported"),
            std::string::npos);
  EXPECT_TRUE(dir.entries().empty());

  std::string missing = dir.file("no/such/dir/a.npy");
  err = errorOf(writeNpy(missing, patterned("<f4", {2})));
  EXPECT_NE(err.find(missing), std::string::npos) << err;
  EXPECT_TRUE(dir.entries().empty());
}

//===----------------------------------------------------------------------===//
// Files written by NumPy (unittests/Support/Inputs/generate.py)
//===----------------------------------------------------------------------===//

TEST(Npy, ReadsNumPyFiles) {
  auto read = [](StringRef name) {
    llvm::Expected<NpyArray> a = readNpy(fixture(name));
    EXPECT_TRUE(static_cast<bool>(a)) << llvm::toString(a.takeError());
    return a ? std::move(*a) : NpyArray();
  };
  NpyArray f4 = read("f4_2x3.npy");
  EXPECT_EQ(f4.dtype, "<f4");
  EXPECT_EQ(f4.shape, (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(f4.toFloats(),
            (std::vector<float>{-1, -0.5f, 0, 0.5f, 1, 1.5f}));
  NpyArray f8 = read("f8_3.npy");
  EXPECT_EQ(f8.toDoubles(), (std::vector<double>{1.5, -2.25, 1e300}));
  NpyArray f2 = read("f2_2.npy");
  EXPECT_EQ(f2.toDoubles(), (std::vector<double>{1.0, -0.5}));
  NpyArray i1 = read("i1_scalar.npy");
  EXPECT_EQ(i1.dtype, "|i1");
  EXPECT_TRUE(i1.shape.empty());
  EXPECT_EQ(i1.get<int8_t>(0), -7);
  NpyArray u1 = read("u1_4.npy");
  EXPECT_EQ(u1.toDoubles(), (std::vector<double>{0, 1, 128, 255}));
  NpyArray i4 = read("i4_2x2.npy");
  EXPECT_EQ(i4.get<int32_t>(2), 2147483647);
  EXPECT_EQ(i4.get<int32_t>(3), -2147483647 - 1);
  NpyArray i8 = read("i8_2.npy");
  EXPECT_EQ(i8.get<int64_t>(0), int64_t(1) << 40);
  NpyArray empty = read("f4_empty.npy");
  EXPECT_EQ(empty.shape, (std::vector<int64_t>{0, 3}));
  EXPECT_TRUE(empty.data.empty());

  // Our writer produces the same bytes as NumPy's for these arrays.
  llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>> original =
      llvm::errorOrToExpected(llvm::MemoryBuffer::getFile(fixture("u1_4.npy")));
  ASSERT_TRUE(static_cast<bool>(original));
  EXPECT_EQ(toBytes(u1), (*original)->getBuffer().str());
}

TEST(Npy, RejectsNumPyFilesItCannotRead) {
  std::string err = errorOf(readNpy(fixture("f4_fortran.npy")));
  EXPECT_NE(err.find("f4_fortran.npy: Fortran-ordered arrays are not "
                     "supported"),
            std::string::npos)
      << err;
  err = errorOf(readNpy(fixture("f4_bigendian.npy")));
  EXPECT_NE(err.find("f4_bigendian.npy: unsupported dtype '>f4'"),
            std::string::npos)
      << err;
  err = errorOf(readNpy(fixture("c8.npy")));
  EXPECT_NE(err.find("c8.npy: unsupported dtype '<c8'"), std::string::npos)
      << err;
}

TEST(Npy, ReadsNumPyArchives) {
  for (StringRef name : {"stored.npz", "deflated.npz"}) {
    SCOPED_TRACE(name.str());
    llvm::Expected<NpzMap> m = readNpz(fixture(name));
    ASSERT_TRUE(static_cast<bool>(m)) << llvm::toString(m.takeError());
    ASSERT_EQ(m->size(), 2u);
    const NpyArray &x = m->at("x");
    EXPECT_EQ(x.dtype, "<f4");
    EXPECT_EQ(x.toFloats(), (std::vector<float>{0, 1, 2, 3}));
    const NpyArray &y = m->at("y");
    EXPECT_EQ(y.dtype, "|i1");
    EXPECT_EQ(y.shape, (std::vector<int64_t>{2, 3}));
    EXPECT_EQ(y.get<int8_t>(5), 5);
  }
}

//===----------------------------------------------------------------------===//
// .npy errors
//===----------------------------------------------------------------------===//

TEST(Npy, MalformedNpyErrors) {
  const std::string ok = "{'descr': '<f4', 'fortran_order': False, "
                         "'shape': (2,), }";
  std::string two = floats({1, 2});
  struct Case {
    std::string bytes;
    const char *message;
  } cases[] = {
      {"", "not a .npy file (bad magic)"},
      {"\x93NUMP", "bad magic"},
      {"PK\x03\x04 not an npy file", "bad magic"},
      {rawNpy(ok, two).replace(6, 1, "\x04"),
       "unsupported .npy format version 4.0"},
      {rawNpy(ok, two).replace(7, 1, "\x01"),
       "unsupported .npy format version 1.1"},
      {rawNpy(ok, two).substr(0, 9), "truncated .npy header"},
      {rawNpy(ok, two, 2).substr(0, 11), "truncated .npy header"},
      {rawNpy(ok, two).substr(0, 30), "truncated .npy header (needs"},
      {rawNpy("['descr', '<f4']", two), "header is not a dict"},
      {rawNpy("{'descr': '<f4', 'shape': (2,)}", two),
       "header lacks one of"},
      {rawNpy("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), "
              "'extra': 1}",
              two),
       "unexpected key 'extra'"},
      {rawNpy("{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, "
              "'shape': (2,)}",
              two),
       "duplicate key 'descr'"},
      {rawNpy("{'descr': '<f4', 'fortran_order': True, 'shape': (2,)}", two),
       "Fortran-ordered arrays are not supported"},
      {rawNpy("{'descr': '<f4', 'fortran_order': 0, 'shape': (2,)}", two),
       "'fortran_order' is not True or False"},
      {rawNpy("{'descr': 4, 'fortran_order': False, 'shape': (2,)}", two),
       "'descr' is not a string"},
      {rawNpy("{'descr': [('a', '<f4')], 'fortran_order': False, "
              "'shape': (2,)}",
              two),
       "structured dtypes are not supported"},
      {rawNpy("{'descr': '>f4', 'fortran_order': False, 'shape': (2,)}", two),
       "unsupported dtype '>f4'"},
      {rawNpy("{'descr': '<c8', 'fortran_order': False, 'shape': (2,)}", two),
       "unsupported dtype '<c8'"},
      {rawNpy("{'descr': '<U4', 'fortran_order': False, 'shape': (2,)}", two),
       "unsupported dtype '<U4'"},
      {rawNpy("{'descr': '<f4', 'fortran_order': False, 'shape': (-2,)}", two),
       "negative dimension"},
      {rawNpy("{'descr': '<f4', 'fortran_order': False, "
              "'shape': (99999999999999999999,)}",
              two),
       "dimension too large"},
      {rawNpy("{'descr': '<f4', 'fortran_order': False, "
              "'shape': (4294967296, 4294967296)}",
              two),
       "is too large"},
      {rawNpy("{'descr': '<f4', 'fortran_order': False, 'shape': [2]}", two),
       "'shape' is not a tuple"},
      {rawNpy("{'descr': '<f4', 'fortran_order': False, 'shape': (2 3)}", two),
       "expected ',' or ')'"},
      {rawNpy("{'descr': '<f4', 'fortran_order': False, 'shape': ('a',)}",
              two),
       "'shape' is not a tuple of integers"},
      {rawNpy("{'descr': '<f4' 'fortran_order': False, 'shape': (2,)}", two),
       "expected ',' or '}'"},
      {rawNpy("{'descr' '<f4', 'fortran_order': False, 'shape': (2,)}", two),
       "expected ':'"},
      {rawNpy("{descr: '<f4'}", two), "expected a quoted key"},
      {rawNpy("{'descr': '<f4, 'fortran_order': False, 'shape': (2,)}", two),
       "bad .npy header"},
      {rawNpy(ok + " trailing", two), "unexpected text after the header"},
      {rawNpy(ok, two.substr(0, 7)),
       "data size mismatch: shape [2] of <f4 needs 8 bytes, file has 7"},
      {rawNpy(ok, two + "x"), "needs 8 bytes, file has 9"},
      {rawNpy(ok), "needs 8 bytes, file has 0"},
  };
  for (const Case &c : cases) {
    SCOPED_TRACE(c.message);
    std::string err = errorOf(parseNpy(c.bytes, "in.npy"));
    EXPECT_EQ(err.rfind("in.npy: ", 0), 0u) << err;
    EXPECT_NE(err.find(c.message), std::string::npos) << err;
  }
}

TEST(Npy, UnreadableFilesNameThePath) {
  TempDir dir;
  std::string missing = dir.file("missing.npy");
  std::string err = errorOf(readNpy(missing));
  EXPECT_NE(err.find(missing + ": cannot read"), std::string::npos) << err;
  err = errorOf(readNpz(missing));
  EXPECT_NE(err.find(missing + ": cannot read"), std::string::npos) << err;
  err = errorOf(readNpy(dir.path));
  EXPECT_NE(err.find("is a directory"), std::string::npos) << err;
}

//===----------------------------------------------------------------------===//
// .npz
//===----------------------------------------------------------------------===//

NpzMap sampleArchive() {
  NpzMap m;
  m["x"] = NpyArray::fromFloats({1, 4}, {1, 2, 3, 4});
  m["scalar"] = NpyArray::create<int32_t>("<i4", {}, {42});
  m["empty"] = NpyArray::zeros("|u1", {0, 2});
  m["big"] = patterned("<f8", {64, 8});
  return m;
}

void expectSameArchive(const NpzMap &a, const NpzMap &b) {
  ASSERT_EQ(a.size(), b.size());
  for (const auto &[name, array] : a) {
    auto it = b.find(name);
    ASSERT_NE(it, b.end()) << name;
    EXPECT_EQ(it->second.dtype, array.dtype) << name;
    EXPECT_EQ(it->second.shape, array.shape) << name;
    EXPECT_EQ(it->second.data, array.data) << name;
  }
}

TEST(Npz, RoundTripStoredAndDeflated) {
  NpzMap m = sampleArchive();
  for (bool compress : {false, true}) {
    SCOPED_TRACE(compress ? "deflated" : "stored");
    std::string bytes = npzBytes(m, compress);
    llvm::Expected<NpzMap> back = parseNpz(bytes, "mem.npz");
    ASSERT_TRUE(static_cast<bool>(back)) << llvm::toString(back.takeError());
    expectSameArchive(m, *back);
  }
  // Deflate actually compresses the patterned array.
  EXPECT_LT(npzBytes(m, true).size(), npzBytes(m, false).size());
  std::string empty = npzBytes({}, false);
  llvm::Expected<NpzMap> none = parseNpz(empty, "empty.npz");
  ASSERT_TRUE(static_cast<bool>(none));
  EXPECT_TRUE(none->empty());
}

TEST(Npz, FileRoundTrip) {
  TempDir dir;
  NpzMap m = sampleArchive();
  ASSERT_EQ(errorOf(writeNpz(dir.file("a.npz"), m, true)), "");
  llvm::Expected<NpzMap> back = readNpz(dir.file("a.npz"));
  ASSERT_TRUE(static_cast<bool>(back)) << llvm::toString(back.takeError());
  expectSameArchive(m, *back);
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"a.npz"});
}

TEST(Npz, ReadsOtherLayouts) {
  std::string x = toBytes(NpyArray::fromFloats({2}, {1, 2}));
  std::string y = toBytes(NpyArray::zeros("|i1", {3}));
  // NumPy's savez writes a ZIP64 extra field into every local header.
  std::string zip64Extra;
  put16(zip64Extra, 1);
  put16(zip64Extra, 16);
  put32(zip64Extra, x.size());
  put32(zip64Extra, 0);
  put32(zip64Extra, x.size());
  put32(zip64Extra, 0);
  std::string zip = makeZip({{"dir/", "", false, ""},
                             {"x.npy", x, false, zip64Extra},
                             {"dir/y.npy", y, true, ""},
                             {"raw", x, true, ""}});
  llvm::Expected<NpzMap> m = parseNpz(zip, "mem.npz");
  ASSERT_TRUE(static_cast<bool>(m)) << llvm::toString(m.takeError());
  EXPECT_EQ(m->size(), 3u);
  EXPECT_EQ(m->count("x"), 1u);
  EXPECT_EQ(m->count("dir/y"), 1u);
  EXPECT_EQ(m->count("raw"), 1u);
  // An archive comment after the end record.
  std::string commented = zip;
  commented[commented.size() - 2] = 5;
  commented += "hello";
  EXPECT_EQ(errorOf(parseNpz(commented, "c.npz")), "");
}

/// Offsets into an archive written by makeZip with one stored member.
struct OneMember {
  std::string name = "x.npy";
  std::string content = toBytes(NpyArray::fromFloats({2}, {1, 2}));
  std::string zip = makeZip({{name, content, false, ""}});
  size_t local = 0;
  size_t data = 30 + name.size();
  size_t central = data + content.size();
  size_t end = central + 46 + name.size();
};

TEST(Npz, MalformedArchiveErrors) {
  auto expectError = [](const std::string &bytes, StringRef message) {
    std::string err = errorOf(parseNpz(bytes, "ref.npz"));
    EXPECT_EQ(err.rfind("ref.npz", 0), 0u) << err;
    EXPECT_NE(err.find(message.str()), std::string::npos)
        << "expected '" << message.str() << "' in: " << err;
  };
  OneMember o;
  ASSERT_EQ(errorOf(parseNpz(o.zip, "ok.npz")), "");

  expectError("", "not a .npz file (no ZIP end record)");
  expectError(std::string(100, 'x'), "no ZIP end record");
  expectError(o.zip.substr(0, o.zip.size() - 1), "no ZIP end record");
  expectError(o.content, "no ZIP end record");

  std::string z = o.zip;
  z[o.data + 60] ^= 1; // a header byte of the stored .npy
  expectError(z, "ref.npz: member 'x.npy': CRC mismatch");

  z = o.zip;
  z[o.central + 10] = 12; // bzip2
  expectError(z, "member 'x.npy': unsupported compression method 12");
  z = o.zip;
  z[o.central + 8] = 1;
  expectError(z, "encrypted members are not supported");
  z = o.zip;
  z.replace(o.central + 20, 4, "\xff\xff\xff\xff");
  expectError(z, "ZIP64 archives are not supported");
  z = o.zip;
  z.replace(o.end + 10, 2, "\xff\xff");
  expectError(z, "ZIP64 archives are not supported");
  z = o.zip;
  z.replace(o.end + 16, 4, "\xff\xff\xff\xff");
  expectError(z, "ZIP64 archives are not supported");
  z = o.zip;
  z.insert(o.end, std::string("PK\x06\x07", 4) + std::string(16, '\0'));
  expectError(z, "ZIP64 archives are not supported");
  z = o.zip;
  z[o.end + 4] = 1;
  expectError(z, "multi-part ZIP archives are not supported");
  z = o.zip;
  z[o.end + 16] += 1; // central directory offset
  expectError(z, "central directory out of bounds");
  z = o.zip;
  z[o.end + 16] -= 1;
  expectError(z, "bad central directory entry 0");
  z = o.zip;
  z[o.end + 10] = z[o.end + 8] = 2; // claims two entries
  expectError(z, "bad central directory entry 1");
  z = o.zip;
  z[o.central + 28] = 100; // name length past the directory
  expectError(z, "central directory entry 0 out of bounds");
  z = o.zip;
  z[o.local] = 'X';
  expectError(z, "bad local header");
  z = o.zip;
  z[o.local + 30] = 'y'; // the local header's copy of the name
  expectError(z, "local header names another member");
  z = o.zip;
  z[o.central + 42] = 1; // local header offset
  expectError(z, "bad local header");
  z = o.zip;
  z[o.central + 21] = 1; // compressed size +256
  expectError(z, "data out of bounds");
  z = o.zip;
  z[o.central + 24] += 1; // stored sizes differ
  expectError(z, "stored member sizes differ");

  std::string bad = makeZip({{"x.npy", "not an npy", false, ""}});
  expectError(bad, "ref.npz: member 'x.npy': not a .npy file (bad magic)");
  std::string dup = makeZip(
      {{"x.npy", o.content, false, ""}, {"x", o.content, false, ""}});
  expectError(dup, "duplicate array name 'x'");
}

TEST(Npz, CorruptDeflateErrors) {
  std::string content = toBytes(patterned("<f4", {16, 16}));
  std::string zip = makeZip({{"x.npy", content, true, ""}});
  ASSERT_EQ(errorOf(parseNpz(zip, "ok.npz")), "");
  size_t data = 30 + 5;
  uint32_t compSize = llvm::support::endian::read32le(zip.data() + 18);

  // The central directory's uncompressed size of the member.
  size_t sizeField = zip.size() - 22 - 51 + 24;
  std::string z = zip;
  // Declared size much larger than deflate can produce from the input.
  llvm::support::endian::write32le(&z[sizeField], 0x7f000000);
  std::string err = errorOf(parseNpz(z, "ref.npz"));
  EXPECT_NE(err.find("implausible size"), std::string::npos) << err;

  // Declared size smaller than the stream produces.
  llvm::support::endian::write32le(&z[sizeField], 1);
  err = errorOf(parseNpz(z, "ref.npz"));
  EXPECT_NE(err.find("corrupt deflate data"), std::string::npos) << err;

  // Declared size larger than the stream produces.
  llvm::support::endian::write32le(&z[sizeField], content.size() + 1);
  err = errorOf(parseNpz(z, "ref.npz"));
  EXPECT_NE(err.find("shorter than its declared size"), std::string::npos)
      << err;

  int errors = 0;
  for (size_t i = data; i < data + compSize; ++i) {
    z = zip;
    z[i] ^= 0x55;
    err = errorOf(parseNpz(z, "ref.npz"));
    EXPECT_NE(err, "") << "flip at " << i;
    errors += err.find("ref.npz: member 'x.npy': ") == 0;
  }
  EXPECT_EQ(errors, static_cast<int>(compSize));
}

//===----------------------------------------------------------------------===//
// Fuzzing: truncated and corrupted inputs give errors, never crashes
//===----------------------------------------------------------------------===//

/// Parses `bytes` and checks that an error, if any, names the input.
template <typename Parse>
bool parsesOrNamesFile(Parse parse, const std::string &bytes) {
  auto result = parse(bytes, "fuzz.in");
  if (result)
    return true;
  std::string err = llvm::toString(result.takeError());
  EXPECT_EQ(err.rfind("fuzz.in", 0), 0u) << err;
  return false;
}

TEST(NpyFuzz, TruncationsAndByteFlips) {
  std::vector<std::string> inputs = {
      toBytes(patterned("<f4", {2, 3})),
      toBytes(NpyArray::zeros("|i1", {})),
      toBytes(patterned("<f8", {0, 3})),
  };
  for (const std::string &valid : inputs) {
    ASSERT_TRUE(parsesOrNamesFile(parseNpy, valid));
    for (size_t len = 0; len < valid.size(); ++len)
      EXPECT_FALSE(parsesOrNamesFile(parseNpy, valid.substr(0, len)))
          << "truncated to " << len;
    for (size_t i = 0; i < valid.size(); ++i)
      for (unsigned char flip : {0x01, 0x20, 0x80, 0xFF}) {
        std::string s = valid;
        s[i] ^= flip;
        parsesOrNamesFile(parseNpy, s);
      }
  }
}

TEST(NpzFuzz, TruncationsAndByteFlips) {
  NpzMap m;
  m["a"] = patterned("<f4", {3, 5});
  m["b"] = NpyArray::zeros("|u1", {});
  for (bool compress : {false, true}) {
    const std::string valid = npzBytes(m, compress);
    ASSERT_TRUE(parsesOrNamesFile(parseNpz, valid));
    for (size_t len = 0; len < valid.size(); ++len)
      EXPECT_FALSE(parsesOrNamesFile(parseNpz, valid.substr(0, len)))
          << "truncated to " << len;
    for (size_t i = 0; i < valid.size(); ++i)
      for (unsigned char flip : {0x01, 0x20, 0x80, 0xFF}) {
        std::string s = valid;
        s[i] ^= flip;
        parsesOrNamesFile(parseNpz, s);
      }
  }
  // In the stored archive, the CRC catches any change of a member's bytes.
  const std::string stored = npzBytes(m, false);
  size_t offset = 0;
  for (const auto &entry : m) {
    std::string content = toBytes(entry.second);
    size_t data = offset + 30 + entry.first.size() + 4;
    ASSERT_EQ(stored.substr(data, content.size()), content);
    for (size_t i = data; i < data + content.size(); ++i) {
      std::string s = stored;
      s[i] ^= 0x10;
      EXPECT_NE(errorOf(parseNpz(s, "fuzz.in")).find("CRC mismatch"),
                std::string::npos)
          << "flip at " << i;
    }
    offset = data + content.size();
  }
}

TEST(NpzFuzz, RandomCorruption) {
  NpzMap m;
  m["w"] = patterned("<f4", {8, 8});
  m["s"] = NpyArray::create<int64_t>("<i8", {2}, {7, -7});
  std::mt19937 rng(12345);
  for (bool compress : {false, true}) {
    const std::string valid = npzBytes(m, compress);
    for (int iter = 0; iter < 3000; ++iter) {
      std::string s = valid;
      int edits = 1 + rng() % 8;
      for (int e = 0; e < edits; ++e)
        s[rng() % s.size()] = static_cast<char>(rng());
      if (rng() % 4 == 0)
        s.resize(rng() % s.size());
      parsesOrNamesFile(parseNpz, s);
    }
  }
  const std::string npy = toBytes(patterned("<i4", {4, 4}));
  for (int iter = 0; iter < 3000; ++iter) {
    std::string s = npy;
    int edits = 1 + rng() % 4;
    for (int e = 0; e < edits; ++e)
      s[rng() % 80] = static_cast<char>(rng()); // mostly the header
    parsesOrNamesFile(parseNpy, s);
  }
}

} // namespace
