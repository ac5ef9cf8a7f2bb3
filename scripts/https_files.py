#!/usr/bin/env python3
"""Serves a directory over HTTPS on 127.0.0.1 for tests (foreign layer URLs).

https_files.py --dir DIR --cert CRT --key KEY --port-file F --log F
Supports Range requests; logs one JSON line per request (path, range).
"""
import argparse
import json
import os
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def main():
    parser = argparse.ArgumentParser()
    for name in ("dir", "cert", "key", "port-file", "log"):
        parser.add_argument("--" + name, required=True)
    args = parser.parse_args()
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *unused):
            pass

        def do_GET(self):
            with lock, open(args.log, "a") as f:
                f.write(json.dumps({"path": self.path, "range": self.headers.get("Range")}) + "\n")
            path = os.path.join(args.dir, os.path.basename(self.path.split("?")[0]))
            if not os.path.isfile(path):
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            with open(path, "rb") as f:
                data = f.read()
            start = 0
            requested = self.headers.get("Range", "")
            if requested.startswith("bytes=") and requested.endswith("-"):
                start = int(requested[6:-1])
                self.send_response(206)
                self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
            else:
                self.send_response(200)
            self.send_header("Content-Length", str(len(data) - start))
            self.end_headers()
            self.wfile.write(data[start:])

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(args.cert, args.key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    with open(args.port_file + ".tmp", "w") as f:
        f.write(str(server.server_address[1]))
    os.rename(args.port_file + ".tmp", args.port_file)
    server.serve_forever()


if __name__ == "__main__":
    main()
