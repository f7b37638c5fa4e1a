#ifndef AP_CCURL_SHIM_H
#define AP_CCURL_SHIM_H

#include <curl/curl.h>

/*
 * Swift cannot call C variadic functions, so each curl_easy_setopt /
 * curl_easy_getinfo / curl_multi_setopt shape the transport uses gets a typed
 * wrapper here. They are `static inline` on purpose: `extern inline` has
 * produced duplicate symbols on Linux in other wrappers.
 */

typedef size_t (*ap_curl_write_callback)(char *ptr, size_t size, size_t nmemb, void *userdata);

static inline CURLcode ap_easy_setopt_long(CURL *h, CURLoption opt, long value) {
    return curl_easy_setopt(h, opt, value);
}
static inline CURLcode ap_easy_setopt_off(CURL *h, CURLoption opt, curl_off_t value) {
    return curl_easy_setopt(h, opt, value);
}
static inline CURLcode ap_easy_setopt_string(CURL *h, CURLoption opt, const char *value) {
    return curl_easy_setopt(h, opt, value);
}
static inline CURLcode ap_easy_setopt_pointer(CURL *h, CURLoption opt, void *value) {
    return curl_easy_setopt(h, opt, value);
}
static inline CURLcode ap_easy_setopt_slist(CURL *h, CURLoption opt, struct curl_slist *value) {
    return curl_easy_setopt(h, opt, value);
}
static inline CURLcode ap_easy_setopt_write_callback(CURL *h, CURLoption opt, ap_curl_write_callback cb) {
    return curl_easy_setopt(h, opt, cb);
}

static inline CURLcode ap_easy_getinfo_long(CURL *h, CURLINFO info, long *out) {
    return curl_easy_getinfo(h, info, out);
}
static inline CURLcode ap_easy_getinfo_off(CURL *h, CURLINFO info, curl_off_t *out) {
    return curl_easy_getinfo(h, info, out);
}
static inline CURLcode ap_easy_getinfo_pointer(CURL *h, CURLINFO info, void **out) {
    return curl_easy_getinfo(h, info, out);
}
static inline CURLcode ap_easy_getinfo_string(CURL *h, CURLINFO info, char **out) {
    return curl_easy_getinfo(h, info, out);
}

static inline CURLMcode ap_multi_setopt_long(CURLM *m, CURLMoption opt, long value) {
    return curl_multi_setopt(m, opt, value);
}

/* CURLMsg.data is a union; reading its `result` member is awkward from Swift. */
static inline CURLcode ap_msg_result(const CURLMsg *msg) {
    return msg->data.result;
}

#endif
