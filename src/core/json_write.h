/* json_write: compact JSON text for a response, byte for byte what json_dumps(doc, JSON_COMPACT | JSON_ENSURE_ASCII)
 * gives, written straight into a buffer.
 *
 * jansson's dumper guards against cycles by formatting every object's and array's address into a string and
 * keeping those in a hash table for the length of the dump, and it builds the text in a buffer of its own that is
 * then copied; on a 1.5 KB record that was a third of the cost of answering a read. A document built by our code
 * has no cycles, so this writer walks it directly; whatever it does not reproduce exactly itself (a real number,
 * invalid UTF-8, nesting deeper than JSON_WRITE_MAX_DEPTH, which is where a cycle would show) goes back to
 * json_dumps, so the output is always jansson's. */
#ifndef SG_JSON_WRITE_H
#define SG_JSON_WRITE_H
#include <jansson.h>

#include "core/buf.h"

#define JSON_WRITE_MAX_DEPTH 512

/* Appends doc (an object or an array) to out. 0, or -1 (out as it was) when json_dumps would also fail: doc is not
 * an object or an array, has a cycle or invalid UTF-8 in a value, or out is full. */
int json_write_compact(struct buf *out, const json_t *doc);

#endif
