#ifndef FAKEDEP_COPENSSL_SHIM_H
#define FAKEDEP_COPENSSL_SHIM_H
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/cms.h>
#include <openssl/crypto.h>
#include <openssl/decoder.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

// Function-like macros and variadic functions are invisible to Swift: one typed
// `static inline` entry point each, no logic.

// BIO_get_mem_data / BIO_set_mem_eof_return are BIO_ctrl macros.
static inline long COpenSSL_BIO_get_mem_data(BIO *b, char **data) { return BIO_get_mem_data(b, data); }
static inline long COpenSSL_BIO_set_mem_eof_return(BIO *b, int v) { return BIO_set_mem_eof_return(b, v); }

// EVP_PKEY_KEYPAIR is an expression of other macros.
static inline int COpenSSL_EVP_PKEY_KEYPAIR(void) { return EVP_PKEY_KEYPAIR; }

// BIO_tell and BIO_eof are BIO_ctrl macros.
static inline int COpenSSL_BIO_tell(BIO *b) { return BIO_tell(b); }
static inline int COpenSSL_BIO_eof(BIO *b) { return BIO_eof(b); }

// OPENSSL_free passes __FILE__/__LINE__ to CRYPTO_free.
static inline void COpenSSL_free(void *p) { OPENSSL_free(p); }

// EVP_RSA_gen expands to the variadic EVP_PKEY_Q_keygen.
static inline EVP_PKEY *COpenSSL_EVP_RSA_gen(unsigned int bits) { return EVP_RSA_gen(bits); }

// EVP_EC_gen expands to the variadic EVP_PKEY_Q_keygen.
static inline EVP_PKEY *COpenSSL_EVP_EC_gen(const char *curve) { return EVP_EC_gen(curve); }

// STACK_OF(X509) helpers (CMS_encrypt takes the recipients as a stack).
static inline STACK_OF(X509) *COpenSSL_sk_X509_new_null(void) { return sk_X509_new_null(); }
static inline int COpenSSL_sk_X509_push(STACK_OF(X509) *sk, X509 *x) { return sk_X509_push(sk, x); }
static inline void COpenSSL_sk_X509_free(STACK_OF(X509) *sk) { sk_X509_free(sk); }

// STACK_OF(CMS_SignerInfo) accessors.
static inline int COpenSSL_sk_CMS_SignerInfo_num(const STACK_OF(CMS_SignerInfo) *sk) { return sk_CMS_SignerInfo_num(sk); }
static inline CMS_SignerInfo *COpenSSL_sk_CMS_SignerInfo_value(const STACK_OF(CMS_SignerInfo) *sk, int i) { return sk_CMS_SignerInfo_value(sk, i); }

// STACK_OF(CMS_RecipientInfo) accessors.
static inline int COpenSSL_sk_CMS_RecipientInfo_num(const STACK_OF(CMS_RecipientInfo) *sk) { return sk_CMS_RecipientInfo_num(sk); }
static inline CMS_RecipientInfo *COpenSSL_sk_CMS_RecipientInfo_value(const STACK_OF(CMS_RecipientInfo) *sk, int i) { return sk_CMS_RecipientInfo_value(sk, i); }

// STACK_OF(GENERAL_NAME) accessors (a certificate's subjectAltName).
static inline int COpenSSL_sk_GENERAL_NAME_num(const STACK_OF(GENERAL_NAME) *sk) { return sk_GENERAL_NAME_num(sk); }
static inline GENERAL_NAME *COpenSSL_sk_GENERAL_NAME_value(const STACK_OF(GENERAL_NAME) *sk, int i) { return sk_GENERAL_NAME_value(sk, i); }
#endif
