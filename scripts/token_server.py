#!/usr/bin/env python3
"""A Docker registry token server for tests (distribution's token auth), on 127.0.0.1.

GET /token?service=S&scope=repository:NAME:ACTIONS with HTTP Basic credentials returns
{"token": JWT, "access_token": JWT}: an RS256 JWT whose `access` claim grants the requested
actions, signed by --key; its `kid` is the libtrust key ID of --cert, which the registry trusts
through `rootcertbundle`. Wrong or missing credentials get 401. Every request is logged to
--log (path, scope, whether credentials came; never the credentials themselves). --plain serves
plain HTTP instead of TLS: a realm a client must refuse to send credentials to.
"""
import argparse
import base64
import hashlib
import json
import os
import ssl
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def libtrust_kid(public_key):
    der = public_key.public_bytes(serialization.Encoding.DER,
                                  serialization.PublicFormat.SubjectPublicKeyInfo)
    b32 = base64.b32encode(hashlib.sha256(der).digest()[:30]).decode().rstrip("=")
    return ":".join(b32[i:i + 4] for i in range(0, len(b32), 4))


def main():
    parser = argparse.ArgumentParser()
    for name in ("port", "key", "cert", "tls-cert", "tls-key", "user", "password", "issuer", "log"):
        parser.add_argument("--" + name, required=True)
    parser.add_argument("--lifetime", type=int, default=300, help="seconds a token is valid")
    parser.add_argument("--plain", action="store_true", help="plain HTTP, no TLS")
    args = parser.parse_args()
    with open(args.key, "rb") as f:
        key = serialization.load_pem_private_key(f.read(), password=None)
    with open(args.cert, "rb") as f:
        kid = libtrust_kid(x509.load_pem_x509_certificate(f.read()).public_key())
    lock = threading.Lock()
    expected = "Basic " + base64.b64encode(f"{args.user}:{args.password}".encode()).decode()

    def log(entry):
        with lock, open(args.log, "a") as f:
            f.write(json.dumps(entry) + "\n")

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *unused):
            pass

        def reply(self, status, body):
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            url = urllib.parse.urlsplit(self.path)
            if url.path == "/ping":
                return self.reply(200, {})
            query = urllib.parse.parse_qs(url.query)
            auth = self.headers.get("Authorization")
            log({"path": url.path, "scope": query.get("scope", []), "credentials": auth is not None})
            if auth != expected:
                return self.reply(401, {"details": "invalid username or password"})
            access = []
            for scope in query.get("scope", []):
                kind, _, rest = scope.partition(":")
                name, _, actions = rest.rpartition(":")
                access.append({"type": kind, "name": name, "actions": actions.split(",")})
            now = int(time.time())
            header = {"typ": "JWT", "alg": "RS256", "kid": kid}
            claims = {"iss": args.issuer, "sub": args.user, "aud": query.get("service", [""])[0],
                      "exp": now + args.lifetime, "nbf": now - 10, "iat": now, "jti": b64url(os.urandom(12)),
                      "access": access}
            signing_input = b64url(json.dumps(header).encode()) + "." + b64url(json.dumps(claims).encode())
            signature = key.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
            token = signing_input + "." + b64url(signature)
            self.reply(200, {"token": token, "access_token": token, "expires_in": args.lifetime})

    server = ThreadingHTTPServer(("127.0.0.1", int(args.port)), Handler)
    if not args.plain:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.tls_cert, args.tls_key)
        server.socket = context.wrap_socket(server.socket, server_side=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
