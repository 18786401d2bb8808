/* static.h — the embedded web interface. */
#ifndef BANGFU_STATIC_H
#define BANGFU_STATIC_H

struct req;

/* Serves GET/HEAD of a non-API path from the embedded assets: the file if
 * it exists, else index.html (the app routes in the browser).  Returns 0
 * when it answered, -1 when the path is not for it. */
int static_serve(struct req *r);

#endif
