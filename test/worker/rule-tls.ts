/**
 * Fixed test-only TLS material for the HTTPS rule server (test/node/rule-server.ts): a private CA and a server
 * certificate it signed for `localhost` and `127.0.0.1`. Generated once (2026-12-05, valid 100 years) with
 *   openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 36500 \
 *     -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign   (the CA)
 *   openssl req -newkey ec … -subj /CN=localhost; openssl x509 -req -CA … -days 36000 with
 *     subjectAltName=DNS:localhost,IP:127.0.0.1, extendedKeyUsage=serverAuth                   (the server)
 * The CA's key was thrown away. Only the tests' and the bench's workerd trust this CA (vitest.config.ts,
 * bench/lib/workerd.ts); production never sees it. Never used outside tests and benchmarks.
 */

/** The CA certificate workerd is told to trust (PEM). */
export const RULE_TLS_CA = `
-----BEGIN CERTIFICATE-----
MIIB2DCCAX+gAwIBAgIUSt7xckqPO+2N+nfCgdI0sIMODh8wCgYIKoZIzj0EAwIw
OTE3MDUGA1UEAwwuZWRnZS1jZHAgdGVzdCBDQSAobmV2ZXIgdHJ1c3RlZCBvdXRz
aWRlIHRlc3RzKTAgFw0yNjEyMDUwNDA1MjVaGA8yMTI2MTExMTA0MDUyNVowOTE3
MDUGA1UEAwwuZWRnZS1jZHAgdGVzdCBDQSAobmV2ZXIgdHJ1c3RlZCBvdXRzaWRl
IHRlc3RzKTBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABLo+U2nNShTBFQN45Rw7
+yAMcw/siBWOAzLU15shgo8wmTHkvutv2KSNnumTRBCR4ZRD0wmFXltGR36vlRmU
iQ+jYzBhMB0GA1UdDgQWBBTDomRttmY6RG7k9XeHVOmxeh4p9DAfBgNVHSMEGDAW
gBTDomRttmY6RG7k9XeHVOmxeh4p9DAPBgNVHRMBAf8EBTADAQH/MA4GA1UdDwEB
/wQEAwIBBjAKBggqhkjOPQQDAgNHADBEAiAJ+el5pkhKN2ll4pLThs0eBMpLhl/D
pgMzUPSpdU97MAIgaOnro1xGaCfDJhAYP7e0mClJlwN1MiHDTpNGN4HRizM=
-----END CERTIFICATE-----
`.trim();

/** The rule server's certificate, signed by RULE_TLS_CA (PEM). */
export const RULE_TLS_CERT = `
-----BEGIN CERTIFICATE-----
MIIB5DCCAYqgAwIBAgIUBIEOu5kqXjgA4P8uKG1BzOCVMB4wCgYIKoZIzj0EAwIw
OTE3MDUGA1UEAwwuZWRnZS1jZHAgdGVzdCBDQSAobmV2ZXIgdHJ1c3RlZCBvdXRz
aWRlIHRlc3RzKTAgFw0yNjEyMDUwNDA1MjVaGA8yMTI1MDYyOTA0MDUyNVowFDES
MBAGA1UEAwwJbG9jYWxob3N0MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEFOAm
QOY3XnuIdkEAntyW+ekvIVomZ51Dz0+xFaDzI5l9Ei1fpaL3uU5AqO2Z1kmtSK0+
6Hle6+4XDhRtlW9IHaOBkjCBjzAaBgNVHREEEzARgglsb2NhbGhvc3SHBH8AAAEw
DAYDVR0TAQH/BAIwADAOBgNVHQ8BAf8EBAMCB4AwEwYDVR0lBAwwCgYIKwYBBQUH
AwEwHQYDVR0OBBYEFOA+ZANprsjYwxVnAaqRjMJkwCroMB8GA1UdIwQYMBaAFMOi
ZG22ZjpEbuT1d4dU6bF6Hin0MAoGCCqGSM49BAMCA0gAMEUCIQDeiaV9MNxYjTiR
YA+wp2+V07Ax+NvPkN2EuSiaTwwzgQIgByYvVEh9J2Nbinu1kH5GJQJaHmmoXuii
iPjCTOnzFYg=
-----END CERTIFICATE-----
`.trim();

/** The rule server's private key (PKCS#8 PEM, P-256). */
export const RULE_TLS_KEY = `
-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQggRzOq9IAanu2khKR
ZDyrhiPYObZYrMU5GL6GdykTitqhRANCAAQU4CZA5jdee4h2QQCe3Jb56S8hWiZn
nUPPT7EVoPMjmX0SLV+love5TkCo7ZnWSa1IrT7oeV7r7hcOFG2Vb0gd
-----END PRIVATE KEY-----
`.trim();

declare module "vitest" {
  export interface ProvidedContext {
    /** Origin of the HTTPS rule server (test/node/rule-server.ts, vitest globalSetup), e.g. https://127.0.0.1:40123. */
    ruleServer: string;
  }
}
