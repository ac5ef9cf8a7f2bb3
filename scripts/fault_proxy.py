#!/usr/bin/env python3
"""A plain-HTTP proxy in front of a real registry that injects faults into blob downloads,
for tests of what a registry cannot be made to do on purpose.

fault_proxy.py --upstream URL [--cafile CA] --fault FAULT --port-file F --log F
  corrupt    every blob body has one byte flipped
  cut        the first GET of each blob sends half the body, then drops the connection
  stall      the first GET of each blob sends half the body, then goes silent for 30 s
  slow       blob bodies arrive in 16 KiB pieces 0.25 s apart: slow, but always moving
  throttle   the first GET of each blob gets 429 with Retry-After: 1, the second 503
  schema1    manifest GETs get a Docker schema 1 manifest
  fail-put   the first closing PUT of a blob upload gets 503 (its body is read and dropped)
  stall-tag  the second PUT of a manifest by tag (not by digest) goes silent for 30 s, so that
             a test can kill the importer between two tags
  cut-put    the first blob upload PUT or PATCH with a body over 1 KiB has half its body read,
             then the connection is dropped: a registry dying mid-upload
  416        every blob GET gets 416 Range Not Satisfiable, with or without Range
  always-cut every GET of each blob sends half the body, then drops the connection
  error-body manifest GETs get 400 with --body as the registry's error document
  manifest-body  manifest GETs get 200 with --body (Content-Type application/json)
  token-body every request without Authorization gets a Bearer challenge naming the proxy's
             own /token, which answers 200 with --body
  redirect   blob GETs get 307 to a second server on 127.0.0.2 (another origin), which serves
             the blob with the proxy's own upstream credentials (--upstream-auth), like a
             storage host's signed URL
Writes the port it listens on (127.0.0.1) to --port-file and one JSON line per request to
--log: server, method, path, range, and whether an Authorization header came (never its value).
"""
import argparse
import base64
import http.client
import json
import socket
import ssl
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--upstream", required=True)
    parser.add_argument("--cafile")
    parser.add_argument("--upstream-auth", default="")
    parser.add_argument("--fault", required=True)
    parser.add_argument("--body", default="", help="the document the *-body faults send")
    parser.add_argument("--port-file", required=True)
    parser.add_argument("--log", required=True)
    args = parser.parse_args()
    upstream = urllib.parse.urlsplit(args.upstream)
    lock = threading.Lock()
    seen = {}

    def log(entry):
        with lock, open(args.log, "a") as f:
            f.write(json.dumps(entry) + "\n")

    def count(path):
        with lock:
            seen[path] = seen.get(path, 0) + 1
            return seen[path]

    def forward(method, path, headers, body=None):
        if upstream.scheme == "https":
            context = ssl.create_default_context(cafile=args.cafile)
            conn = http.client.HTTPSConnection(upstream.hostname, upstream.port, context=context)
        else:
            conn = http.client.HTTPConnection(upstream.hostname, upstream.port)
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        body = response.read()
        conn.close()
        return response.status, response.getheaders(), body

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_name = "registry"

        def log_message(self, *unused):
            pass

        def send(self, status, headers, body, cut=None, stall=False, dribble=False):
            self.send_response(status)
            for name, value in headers:
                if name.lower() not in ("content-length", "transfer-encoding", "connection", "date", "server"):
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if dribble:
                for i in range(0, len(body), 16384):
                    self.wfile.write(body[i:i + 16384])
                    self.wfile.flush()
                    time.sleep(0.25)
                return
            if cut is None:
                self.wfile.write(body)
                return
            self.wfile.write(body[:cut])
            self.wfile.flush()
            if stall:
                time.sleep(30)
            self.connection.shutdown(socket.SHUT_RDWR)
            self.close_connection = True

        def do_GET(self):
            self.handle_request("GET")

        def do_HEAD(self):
            self.handle_request("HEAD")

        def do_POST(self):
            self.handle_request("POST")

        def do_PUT(self):
            self.handle_request("PUT")

        def do_PATCH(self):
            self.handle_request("PATCH")

        def do_DELETE(self):
            self.handle_request("DELETE")

        def handle_request(self, method):
            log({"server": self.server_name, "method": method, "path": self.path,
                 "range": self.headers.get("Range"), "authorization": "Authorization" in self.headers})
            passed = {k: v for k, v in self.headers.items()
                      if k.lower() in ("authorization", "accept", "range", "content-type", "content-range", "host")}
            length = int(self.headers.get("Content-Length") or 0)
            if args.fault == "cut-put" and method in ("PUT", "PATCH") and "/blobs/uploads/" in self.path \
                    and length > 1024 and count("cut-put") == 1:
                self.rfile.read(length // 2)
                log({"server": self.server_name, "cut": self.path})
                self.connection.shutdown(socket.SHUT_RDWR)
                self.close_connection = True
                return
            request_body = self.rfile.read(length) if length else None
            if args.fault == "stall-tag" and method == "PUT" and "/manifests/" in self.path \
                    and "/manifests/sha256:" not in self.path and count("stall-tag") == 2:
                log({"server": self.server_name, "stalled": self.path})
                time.sleep(30)
                self.connection.shutdown(socket.SHUT_RDWR)
                self.close_connection = True
                return
            if args.fault == "fail-put" and method == "PUT" and "/blobs/uploads/" in self.path \
                    and count("fail-put") == 1:
                return self.send(503, [], b"storage unavailable")
            is_blob = "/blobs/sha256:" in self.path and method == "GET"
            if self.server_name == "storage":
                auth = {"Authorization": "Basic " + base64.b64encode(args.upstream_auth.encode()).decode()} \
                    if args.upstream_auth else {}
                status, headers, body = forward(method, urllib.parse.urlsplit(self.path).path, {**auth, **{
                    k: v for k, v in passed.items() if k.lower() == "range"}})
                return self.send(status, headers, body)
            if args.fault == "token-body" and self.path.startswith("/token"):
                return self.send(200, [("Content-Type", "application/json")], args.body.encode())
            if args.fault == "token-body" and "Authorization" not in self.headers:
                challenge = f'Bearer realm="http://127.0.0.1:{proxy_port}/token",service="proxy"'
                return self.send(401, [("WWW-Authenticate", challenge)], b"")
            if args.fault in ("error-body", "manifest-body") and "/manifests/" in self.path:
                status = 400 if args.fault == "error-body" else 200
                return self.send(status, [("Content-Type", "application/json")], args.body.encode())
            if is_blob and args.fault == "416":
                return self.send(416, [("Content-Range", "bytes */0")], b"")
            if args.fault == "schema1" and "/manifests/" in self.path:
                doc = json.dumps({"schemaVersion": 1, "name": "library/sample", "tag": "1.0",
                                  "architecture": "amd64", "fsLayers": [], "history": []}).encode()
                return self.send(200, [("Content-Type", "application/vnd.docker.distribution.manifest.v1+prettyjws")], doc)
            if is_blob and args.fault == "redirect":
                location = f"http://127.0.0.2:{storage_port}{self.path}?signature=abc"
                return self.send(307, [("Location", location)], b"")
            nth = count(self.path) if is_blob else 0
            if is_blob and args.fault == "throttle" and nth <= 2:
                if nth == 1:
                    return self.send(429, [("Retry-After", "1")], b"slow down")
                return self.send(503, [], b"unavailable")
            status, headers, body = forward(method, self.path, passed, request_body)
            log({"server": self.server_name, "upstream_status": status, "path": self.path})
            if is_blob and status in (200, 206) and body:
                if args.fault == "corrupt":
                    middle = len(body) // 2
                    body = body[:middle] + bytes([body[middle] ^ 1]) + body[middle + 1:]
                elif args.fault == "slow":
                    return self.send(status, headers, body, dribble=True)
                elif args.fault in ("cut", "stall") and nth == 1 and len(body) > 1:
                    return self.send(status, headers, body, cut=len(body) // 2, stall=args.fault == "stall")
                elif args.fault == "always-cut" and len(body) > 1:
                    return self.send(status, headers, body, cut=len(body) // 2)
            self.send(status, headers, body)

    class StorageHandler(Handler):
        server_name = "storage"

    proxy = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    storage = ThreadingHTTPServer(("127.0.0.2", 0), StorageHandler)
    storage_port = storage.server_address[1]
    proxy_port = proxy.server_address[1]
    threading.Thread(target=storage.serve_forever, daemon=True).start()
    with open(args.port_file + ".tmp", "w") as f:
        f.write(str(proxy.server_address[1]))
    import os
    os.rename(args.port_file + ".tmp", args.port_file)
    proxy.serve_forever()


if __name__ == "__main__":
    main()
