/*
 * Records an mbedTLS 2.28 TLS 1.2 handshake (Debian's libmbedtls): a client
 * and a server in one process, talking over two in-memory pipes, both on
 * the one heap, as on a device that is both (or as two devices' worst case
 * added up). Boot-time setup (parsing the CA, the server's certificate and
 * key) is recorded too, then the handshake, a request and a 2 KiB answer,
 * close_notify, and the teardown.
 *
 * Variant "ecdsa": TLS-ECDHE-ECDSA-WITH-AES-128-GCM-SHA256 with the P-256
 * test certificate; "rsa": TLS-ECDHE-RSA-WITH-AES-128-GCM-SHA256 with the
 * RSA-2048 one (mbedTLS's own test certificates, certs.h).
 *
 * mbedTLS's calloc and free come here through mbedtls_wrap.c, and its
 * clock is fixed there. The random generator is seeded from a fixed
 * pattern, so every run makes the same requests: re-recording gives the
 * same trace.
 */
#include <mbedtls/certs.h>
#include <mbedtls/ctr_drbg.h>
#include <mbedtls/error.h>
#include <mbedtls/pk.h>
#include <mbedtls/ssl.h>
#include <mbedtls/x509_crt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "record.h"

/* Not entropy: a fixed pattern, for a trace that is the same every run. */
static int fixed_entropy(void *ctx, unsigned char *out, size_t len)
{
    unsigned *counter = ctx;
    for (size_t i = 0; i < len; i++)
        out[i] = (unsigned char)(*counter * 131u + i * 29u + 7u);
    ++*counter;
    return 0;
}

/* One direction of the connection, and an end: where it writes, reads. */
typedef struct pipe {
    unsigned char buf[64 * 1024];
    size_t head, tail;
} pipe_t;
typedef struct end {
    pipe_t *out, *in;
} end_t;

static int end_send(void *ctx, const unsigned char *data, size_t len)
{
    pipe_t *p = ((end_t *)ctx)->out;
    if (len > sizeof p->buf - p->head)
        len = sizeof p->buf - p->head;
    if (len == 0)
        return MBEDTLS_ERR_SSL_WANT_WRITE;
    memcpy(p->buf + p->head, data, len);
    p->head += len;
    return (int)len;
}

static int end_recv(void *ctx, unsigned char *data, size_t len)
{
    pipe_t *p = ((end_t *)ctx)->in;
    if (p->head == p->tail)
        return MBEDTLS_ERR_SSL_WANT_READ;
    if (len > p->head - p->tail)
        len = p->head - p->tail;
    memcpy(data, p->buf + p->tail, len);
    p->tail += len;
    if (p->tail == p->head)
        p->head = p->tail = 0;
    return (int)len;
}

static pipe_t to_server, to_client;
static end_t client_end = {&to_server, &to_client}, server_end = {&to_client, &to_server};

static void check(int ret, const char *what)
{
    if (ret != 0) {
        char msg[128];
        mbedtls_strerror(ret, msg, sizeof msg);
        fprintf(stderr, "%s: %s\n", what, msg);
        rec_fail(what, ret);
    }
}

static bool pending(int ret)
{
    return ret == MBEDTLS_ERR_SSL_WANT_READ || ret == MBEDTLS_ERR_SSL_WANT_WRITE;
}

int main(int argc, char **argv)
{
    bool rsa = argc == 3 && strcmp(argv[2], "rsa") == 0;
    if (argc != 3 || (!rsa && strcmp(argv[2], "ecdsa") != 0)) {
        fprintf(stderr, "usage: %s OUT.fht ecdsa|rsa\n", argv[0]);
        return 2;
    }
    static const int suite_ecdsa[] = {MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, 0};
    static const int suite_rsa[] = {MBEDTLS_TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, 0};
    const char *crt = rsa ? mbedtls_test_srv_crt_rsa_sha256_pem : mbedtls_test_srv_crt_ec_pem;
    size_t crt_len = rsa ? mbedtls_test_srv_crt_rsa_sha256_pem_len : mbedtls_test_srv_crt_ec_pem_len;
    const char *key = rsa ? mbedtls_test_srv_key_rsa_pem : mbedtls_test_srv_key_ec_pem;
    size_t key_len = rsa ? mbedtls_test_srv_key_rsa_pem_len : mbedtls_test_srv_key_ec_pem_len;

    rec_start(argv[1]);
    unsigned counter = 0;
    mbedtls_ctr_drbg_context drbg;
    mbedtls_x509_crt ca, srv_crt;
    mbedtls_pk_context srv_key;
    mbedtls_ssl_config ccfg, scfg;
    mbedtls_ssl_context client, server;
    mbedtls_ctr_drbg_init(&drbg);
    mbedtls_x509_crt_init(&ca);
    mbedtls_x509_crt_init(&srv_crt);
    mbedtls_pk_init(&srv_key);
    mbedtls_ssl_config_init(&ccfg);
    mbedtls_ssl_config_init(&scfg);
    mbedtls_ssl_init(&client);
    mbedtls_ssl_init(&server);

    check(mbedtls_ctr_drbg_seed(&drbg, fixed_entropy, &counter, (const unsigned char *)"trace", 5),
          "ctr_drbg_seed");
    check(mbedtls_x509_crt_parse(&ca, (const unsigned char *)mbedtls_test_cas_pem,
                                 mbedtls_test_cas_pem_len), "parse CA");
    check(mbedtls_x509_crt_parse(&srv_crt, (const unsigned char *)crt, crt_len), "parse cert");
    check(mbedtls_pk_parse_key(&srv_key, (const unsigned char *)key, key_len, NULL, 0), "parse key");

    mbedtls_ssl_config *cfgs[2] = {&ccfg, &scfg};
    for (int i = 0; i < 2; i++) {
        check(mbedtls_ssl_config_defaults(cfgs[i], i ? MBEDTLS_SSL_IS_SERVER : MBEDTLS_SSL_IS_CLIENT,
                                          MBEDTLS_SSL_TRANSPORT_STREAM, MBEDTLS_SSL_PRESET_DEFAULT),
              "config_defaults");
        mbedtls_ssl_conf_rng(cfgs[i], mbedtls_ctr_drbg_random, &drbg);
        mbedtls_ssl_conf_min_version(cfgs[i], MBEDTLS_SSL_MAJOR_VERSION_3, MBEDTLS_SSL_MINOR_VERSION_3);
        mbedtls_ssl_conf_max_version(cfgs[i], MBEDTLS_SSL_MAJOR_VERSION_3, MBEDTLS_SSL_MINOR_VERSION_3);
        mbedtls_ssl_conf_ciphersuites(cfgs[i], rsa ? suite_rsa : suite_ecdsa);
    }
    mbedtls_ssl_conf_authmode(&ccfg, MBEDTLS_SSL_VERIFY_REQUIRED);
    mbedtls_ssl_conf_ca_chain(&ccfg, &ca, NULL);
    check(mbedtls_ssl_conf_own_cert(&scfg, &srv_crt, &srv_key), "own_cert");

    check(mbedtls_ssl_setup(&client, &ccfg), "client setup");
    check(mbedtls_ssl_setup(&server, &scfg), "server setup");
    check(mbedtls_ssl_set_hostname(&client, "localhost"), "set_hostname");
    mbedtls_ssl_set_bio(&client, &client_end, end_send, end_recv, NULL);
    mbedtls_ssl_set_bio(&server, &server_end, end_send, end_recv, NULL);

    /* Each side goes as far as it can, then the other: a lock-step exchange. */
    int cr = 1, sr = 1;
    for (unsigned round = 0; cr != 0 || sr != 0; round++) {
        if (cr != 0 && !pending(cr = mbedtls_ssl_handshake(&client)) && cr != 0)
            check(cr, "client handshake");
        if (sr != 0 && !pending(sr = mbedtls_ssl_handshake(&server)) && sr != 0)
            check(sr, "server handshake");
        if (round > 100)
            rec_fail("handshake makes no progress", round);
    }
    check((int)mbedtls_ssl_get_verify_result(&client), "certificate verification");

    /* A request and a 2 KiB answer. */
    static const char request[] = "GET /telemetry/latest HTTP/1.1\r\nHost: localhost\r\n"
                                  "Accept: application/json\r\n\r\n";
    static unsigned char answer[2048], got[4096];
    for (size_t i = 0; i < sizeof answer; i++)
        answer[i] = (unsigned char)('a' + i % 26u);
    if (mbedtls_ssl_write(&client, (const unsigned char *)request, sizeof request - 1) !=
        (int)(sizeof request - 1))
        rec_fail("client write", 0);
    if (mbedtls_ssl_read(&server, got, sizeof got) != (int)(sizeof request - 1))
        rec_fail("server read", 0);
    if (mbedtls_ssl_write(&server, answer, sizeof answer) != (int)sizeof answer)
        rec_fail("server write", 0);
    size_t total = 0;
    while (total < sizeof answer) {
        int n = mbedtls_ssl_read(&client, got + total, sizeof got - total);
        if (n <= 0)
            rec_fail("client read", n);
        total += (size_t)n;
    }
    if (memcmp(got, answer, sizeof answer) != 0)
        rec_fail("answer garbled", 0);
    check(mbedtls_ssl_close_notify(&client), "close_notify");

    mbedtls_ssl_free(&client);
    mbedtls_ssl_free(&server);
    mbedtls_ssl_config_free(&ccfg);
    mbedtls_ssl_config_free(&scfg);
    mbedtls_pk_free(&srv_key);
    mbedtls_x509_crt_free(&srv_crt);
    mbedtls_x509_crt_free(&ca);
    mbedtls_ctr_drbg_free(&drbg);
    rec_stop();
    return 0;
}
