//===- RuntimeTest.cpp - the C runtime's helpers --------------------------===//
#include "qlow/runtime.h"

#include "gtest/gtest.h"

namespace {

const int64_t kInShape[] = {1, 4};
const int64_t kOutShape[] = {2};
const qlow_tensor_info kInputs[] = {{"x", QLOW_DTYPE_F32, 2, kInShape}};
const qlow_tensor_info kOutputs[] = {{"y", QLOW_DTYPE_I8, 1, kOutShape}};

qlow_status run(const void *const *, void *const *) { return QLOW_OK; }

const qlow_model kModel = {"m", 1, kInputs, 1, kOutputs, run};

TEST(Runtime, FindsTensorsByName) {
  EXPECT_EQ(qlow_find_input(&kModel, "x"), &kInputs[0]);
  EXPECT_EQ(qlow_find_output(&kModel, "y"), &kOutputs[0]);
  EXPECT_EQ(qlow_find_input(&kModel, "y"), nullptr);
  EXPECT_EQ(qlow_find_input(nullptr, "x"), nullptr);
  EXPECT_EQ(qlow_find_input(&kModel, nullptr), nullptr);
}

TEST(Runtime, Sizes) {
  EXPECT_EQ(qlow_tensor_bytes(&kInputs[0]), 16);
  EXPECT_EQ(qlow_tensor_bytes(&kOutputs[0]), 2);
  EXPECT_EQ(qlow_tensor_bytes(nullptr), 0);
  EXPECT_EQ(qlow_dtype_size(QLOW_DTYPE_F16), 2);
}

TEST(Runtime, StatusStrings) {
  EXPECT_STREQ(qlow_status_string(QLOW_OK), "ok");
  EXPECT_STREQ(qlow_status_string(QLOW_ERROR_NULL_ARGUMENT), "null argument");
  EXPECT_STREQ(qlow_status_string(QLOW_ERROR_OUT_OF_MEMORY), "out of memory");
}

} // namespace
