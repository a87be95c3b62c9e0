/*
 * The scenario corpus's genesis shared records (tests/vectors/scenarios.txt), as hex: BTFS
 * defaults (7-day unlock, 1 BTT minimum, merged policy) governed by a 2-of-3 council whose
 * first member (0xc1...) is required. Included by the host test (ffi/tests/test_ffi.c) and the
 * bare-metal program (ffi/embedded/main.c), which both read it.
 */
#ifndef CORPUS_GENESIS_H
#define CORPUS_GENESIS_H

static const char CORPUS_GENESIS_GLOBALS_HEX[] =
    "803a090000000000000064a7b3b6e00d000000000000000000000000000000000000000000000000"
    "000cc1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c101c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2"
    "c2c2c200c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c300020000000000000000000000000000"
    "00000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "00000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "00000000000000000000000000000000000000000000000000000000000000000000";

#endif
