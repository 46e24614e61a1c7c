/*
 * Records the mbedTLS self-tests that allocate (Debian's libmbedcrypto and
 * libmbedx509), as a device's power-on self-test would run them: bignum,
 * RSA, elliptic curves, DHM, the DRBGs, GCM/CCM, X.509, one after the
 * other on one heap. mbedTLS's calloc and free come here through
 * mbedtls_wrap.c. The tests' own results must pass.
 */
#include <mbedtls/bignum.h>
#include <mbedtls/ccm.h>
#include <mbedtls/ctr_drbg.h>
#include <mbedtls/dhm.h>
#include <mbedtls/ecp.h>
#include <mbedtls/gcm.h>
#include <mbedtls/hmac_drbg.h>
#include <mbedtls/rsa.h>
#include <mbedtls/x509.h>
#include <stdio.h>

#include "record.h"

static const struct {
    const char *name;
    int (*run)(int verbose);
} tests[] = {
    {"mpi", mbedtls_mpi_self_test},           {"rsa", mbedtls_rsa_self_test},
    {"ecp", mbedtls_ecp_self_test},
    {"dhm", mbedtls_dhm_self_test},           {"ctr_drbg", mbedtls_ctr_drbg_self_test},
    {"hmac_drbg", mbedtls_hmac_drbg_self_test}, {"gcm", mbedtls_gcm_self_test},
    {"ccm", mbedtls_ccm_self_test},           {"x509", mbedtls_x509_self_test},
};

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s OUT.fht\n", argv[0]);
        return 2;
    }
    rec_start(argv[1]);
    for (unsigned i = 0; i < sizeof tests / sizeof tests[0]; i++) {
        fh_trace_mark(i); /* phases, for plots */
        int r = tests[i].run(0);
        if (r != 0)
            rec_fail(tests[i].name, r);
    }
    rec_stop();
    return 0;
}
