// NumPy .npy files (format 1.0 written; 1.0, 2.0 and 3.0 read), little
// endian, C order, for the dtypes ONNX Runtime runs in qlow's comparisons:
// float32, uint8, int8, int32 and int64. No dependencies.
'use strict';

const fs = require('fs');
const path = require('path');

const MAGIC = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]); // \x93NUMPY

// NumPy descr -> ORT tensor type, typed array, bytes per element.
const DTYPES = {
  '<f4': { ort: 'float32', array: Float32Array, size: 4 },
  '|u1': { ort: 'uint8', array: Uint8Array, size: 1 },
  '|i1': { ort: 'int8', array: Int8Array, size: 1 },
  '<i4': { ort: 'int32', array: Int32Array, size: 4 },
  '<i8': { ort: 'int64', array: BigInt64Array, size: 8 },
};
// Spellings NumPy also accepts for the same types.
const ALIASES = { '<u1': '|u1', '<i1': '|i1', '=f4': '<f4', '=i4': '<i4', '=i8': '<i8', 'u1': '|u1', 'i1': '|i1' };
const BY_ORT = Object.fromEntries(Object.entries(DTYPES).map(([d, t]) => [t.ort, d]));

class NpyError extends Error {}

function fail(file, msg) {
  throw new NpyError(`${file}: ${msg}`);
}

// Parses the header dict: {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }
function parseHeader(file, text) {
  const field = (key) => {
    const m = text.match(new RegExp(`['"]${key}['"]\\s*:\\s*`));
    if (!m) fail(file, `the .npy header has no '${key}' (header: ${text.trim()})`);
    return text.slice(m.index + m[0].length);
  };
  const descrM = field('descr').match(/^['"]([^'"]*)['"]/);
  if (!descrM) fail(file, `cannot read the dtype in the .npy header: ${text.trim()}`);
  const fortranM = field('fortran_order').match(/^(True|False)/);
  if (!fortranM) fail(file, `cannot read 'fortran_order' in the .npy header: ${text.trim()}`);
  const shapeM = field('shape').match(/^\(([^)]*)\)/);
  if (!shapeM) fail(file, `cannot read the shape in the .npy header: ${text.trim()}`);
  const shape = shapeM[1].split(',').map((s) => s.trim()).filter((s) => s !== '').map((s) => {
    if (!/^\d+L?$/.test(s)) fail(file, `bad dimension '${s}' in the .npy shape (${shapeM[1]})`);
    return Number.parseInt(s, 10);
  });
  return { descr: descrM[1], fortran: fortranM[1] === 'True', shape };
}

// Reads an .npy file: {dtype: 'float32'|..., shape: [...], data: TypedArray}.
function readNpy(file) {
  let buf;
  try {
    buf = fs.readFileSync(file);
  } catch (e) {
    fail(file, `cannot read: ${e.code === 'ENOENT' ? 'no such file' : e.message}`);
  }
  if (buf.length < 10 || !buf.subarray(0, 6).equals(MAGIC)) fail(file, 'not a NumPy .npy file (bad magic)');
  const major = buf[6];
  let headerLen;
  let offset;
  if (major === 1) {
    headerLen = buf.readUInt16LE(8);
    offset = 10;
  } else if (major === 2 || major === 3) {
    if (buf.length < 12) fail(file, 'truncated .npy header');
    headerLen = buf.readUInt32LE(8);
    offset = 12;
  } else {
    fail(file, `unsupported .npy format version ${major}.${buf[7]}`);
  }
  if (offset + headerLen > buf.length) fail(file, 'truncated .npy header');
  const header = parseHeader(file, buf.toString(major === 3 ? 'utf8' : 'latin1', offset, offset + headerLen));
  const descr = ALIASES[header.descr] || header.descr;
  const type = DTYPES[descr];
  if (!type) {
    fail(file, `unsupported dtype '${header.descr}' (supported: float32 <f4, uint8 |u1, int8 |i1, int32 <i4, int64 <i8; little endian)`);
  }
  if (header.fortran) fail(file, 'Fortran-order arrays are not supported (save a C-order array)');
  const count = header.shape.reduce((a, b) => a * b, 1);
  const dataStart = offset + headerLen;
  const bytes = count * type.size;
  if (buf.length - dataStart < bytes) {
    fail(file, `truncated data: shape [${header.shape.join(', ')}] needs ${bytes} bytes, the file has ${buf.length - dataStart}`);
  }
  if (buf.length - dataStart > bytes) {
    fail(file, `${buf.length - dataStart - bytes} unexpected bytes after the data of shape [${header.shape.join(', ')}]`);
  }
  // Copy into an aligned buffer of its own.
  const data = new type.array(count);
  Buffer.from(data.buffer).set(buf.subarray(dataStart, dataStart + bytes));
  return { dtype: type.ort, shape: header.shape, data };
}

// Serializes {dtype, shape, data} as an .npy 1.0 file (NumPy's layout: the
// header padded with spaces and a newline to a multiple of 64 bytes).
function encodeNpy(dtype, shape, data) {
  const descr = BY_ORT[dtype];
  if (!descr) throw new NpyError(`cannot write dtype '${dtype}' to .npy (supported: ${Object.keys(BY_ORT).join(', ')})`);
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  const total = 10 + dict.length + 1;
  dict += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  if (dict.length > 65535) throw new NpyError('the .npy header is too long for format 1.0');
  const head = Buffer.alloc(10);
  MAGIC.copy(head, 0);
  head[6] = 1;
  head[7] = 0;
  head.writeUInt16LE(dict.length, 8);
  const body = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.concat([head, Buffer.from(dict, 'latin1'), body]);
}

// Writes atomically: a temporary file beside `file`, then a rename.
function writeNpy(file, dtype, shape, data) {
  const bytes = encodeNpy(dtype, shape, data);
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  fs.writeFileSync(tmp, bytes);
  fs.renameSync(tmp, file);
}

module.exports = { readNpy, writeNpy, encodeNpy, NpyError, DTYPES };
