#!/usr/bin/env python3
"""Keeps docs/openapi.json in step with the route tables: adds an entry for every /api/v1 route that has none
(with a summary to be improved by hand) and reports entries whose route no longer exists. Descriptions already
written are kept. The unit test tests/unit/test_openapi.c fails when the two disagree, so run this after adding
an API route:  python3 scripts/openapi-sync.py"""
import json, os, re, subprocess, sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
binary = os.environ.get('SAFEGUARD_BIN', os.path.join(root, 'build', 'safeguard'))
routes = []
for line in subprocess.run([binary, 'routes'], check=True, capture_output=True, text=True).stdout.splitlines():
    method, pattern, action = line.split(' ')
    if pattern.startswith('/api/v1'):
        handler = method.lower() + re.sub(r'[^a-z0-9]+', '_', pattern[len('/api/v1'):].replace(':', 'by_')).rstrip('_')
        routes.append((pattern, [method.lower()], handler, None if action == 'public' else action))

path = os.path.join(root, 'docs', 'openapi.json')
doc = json.load(open(path)) if os.path.exists(path) else {
    "openapi": "3.0.3",
    "info": {"title": "Safeguard API", "version": "1",
             "description": "The JSON API of Safeguard: the same operations as the web pages. Sign in with POST "
                            "/api/v1/session; send the returned csrf_token as X-CSRF-Token on every state-changing "
                            "request. Errors are RFC 9457 problem+json naming the field."},
    "servers": [{"url": "/"}],
    "components": {
        "securitySchemes": {"session": {"type": "apiKey", "in": "cookie", "name": "sg_session"},
                            "csrf": {"type": "apiKey", "in": "header", "name": "X-CSRF-Token"}},
        "schemas": {"Problem": {"type": "object", "properties": {
            "type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
            "detail": {"type": "string"}, "instance": {"type": "string"},
            "errors": {"type": "array", "items": {"type": "object", "properties": {
                "field": {"type": "string"}, "message": {"type": "string"}}}}}}},
        "responses": {"Problem": {"description": "The request was refused; nothing was written.",
                                  "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}}},
    "security": [{"session": []}],
    "paths": {}}

def humanise(handler):
    words = handler.replace('_', ' ')
    return words[:1].upper() + words[1:]

seen = set()
added = 0
for pattern, methods, handler, action in sorted(routes):
    oapath = re.sub(r':(\w+)', r'{\1}', pattern)
    entry = doc['paths'].setdefault(oapath, {})
    for method in methods:
        seen.add((oapath, method))
        if method in entry:
            continue
        params = [{"name": p, "in": "path", "required": True, "schema": {"type": "string"}}
                  for p in re.findall(r'\{(\w+)\}', oapath)]
        op = {"operationId": handler,
              "summary": humanise(handler),
              "responses": {"200" if method in ('get', 'patch', 'put') else "201": {"description": "Done",
                            "content": {"application/json": {"schema": {"type": "object"}}}},
                            "default": {"$ref": "#/components/responses/Problem"}}}
        if action:
            op["x-policy-action"] = action
        else:
            op["security"] = []
        if params:
            op["parameters"] = params
        if method in ('post', 'patch', 'put'):
            op["requestBody"] = {"content": {"application/json": {"schema": {"type": "object"}}}}
        entry[method] = op
        added += 1

stale = [(p, m) for p, ops in doc['paths'].items() for m in ops if (p, m) not in seen]
json.dump(doc, open(path, 'w'), indent=1, sort_keys=False)
open(path, 'a').write('\n')
print(f"openapi: {len(seen)} operations, {added} added" + (f", stale: {stale}" if stale else ""))
sys.exit(1 if stale else 0)
