"""Prepares a freshly started contract server (standard library only).

    python3 bootstrap.py BASE_URL OUT_DIR            # once, after start
    python3 bootstrap.py BASE_URL OUT_DIR --relogin  # fresh tokens (access tokens live 15 minutes)

Waits for /readyz, saves the served OpenAPI document as OUT_DIR/openapi.json, registers and signs in a
citizen through the API, signs in the admin made by `ocf-api admin create` (OCF_CONTRACT_ADMIN_EMAIL and
OCF_ADMIN_PASSWORD), and writes their access tokens to OUT_DIR/citizen.token and OUT_DIR/admin.token.
"""

from __future__ import annotations

import json
import os
import sys
import time
import urllib.error
import urllib.request
from typing import Any


def call(base: str, method: str, path: str, body: dict[str, Any] | None = None) -> tuple[int, bytes]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, method=method)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()


def expect(base: str, method: str, path: str, status: int, body: dict[str, Any] | None = None) -> Any:
    got, raw = call(base, method, path, body)
    if got != status:
        sys.exit(f"bootstrap: {method} {path}: expected {status}, got {got}: {raw[:500]!r}")
    return json.loads(raw) if raw else None


def login(base: str, email: str, password: str) -> str:
    tokens = expect(base, "POST", "/api/v1/auth/login", 200, {"email": email, "password": password})
    return str(tokens["access_token"])


def main() -> None:
    base, out = sys.argv[1].rstrip("/"), sys.argv[2]
    relogin = sys.argv[3:] == ["--relogin"]
    deadline = time.monotonic() + 60
    while True:
        try:
            if call(base, "GET", "/readyz")[0] == 200:
                break
        except OSError:
            pass
        if time.monotonic() > deadline:
            sys.exit("bootstrap: the server did not become ready within 60 s")
        time.sleep(0.2)

    email, password = "contract-citizen@example.kr", "contract-citizen-passphrase"
    if not relogin:
        save_document(base, out)
        expect(base, "POST", "/api/v1/auth/register", 201,
               {"email": email, "password": password, "display_name": "Contract citizen"})
    tokens = {
        "citizen": login(base, email, password),
        "admin": login(base, os.environ["OCF_CONTRACT_ADMIN_EMAIL"], os.environ["OCF_ADMIN_PASSWORD"]),
    }
    for name, token in tokens.items():
        with open(os.path.join(out, f"{name}.token"), "w") as f:
            f.write(token)
    print(f"bootstrap: citizen {email} and the admin signed in" + ("" if relogin else "; served document saved"))


def save_document(base: str, out: str) -> None:
    status, doc = call(base, "GET", "/api-docs/openapi.json")
    if status != 200:
        sys.exit(f"bootstrap: GET /api-docs/openapi.json: {status}")
    with open(os.path.join(out, "openapi.json"), "wb") as f:
        f.write(doc)


if __name__ == "__main__":
    main()
