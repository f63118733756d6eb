"""A stand-in for GitHub's OAuth and user API, served on 127.0.0.1 inside the tests.

It answers as GitHub does for the three steps of a sign-in: the authorize page (which here
agrees at once and sends the browser back with a code), the token exchange, and GET /user
(under /api/v3, as a GitHub Enterprise server has it). `login` is who signs in next.
"""

import itertools
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

from allauth.socialaccount.providers.github.views import GitHubOAuth2Adapter


class GitHubStandIn:
    """The server, and who it says is signing in."""

    def __init__(self):
        self.login = "octocat"
        self.codes: dict[str, str] = {}
        self.tokens: dict[str, str] = {}
        self.requests: list[str] = []
        self._ids = itertools.count(1000)
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _json(self, status: int, body: dict):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                url = urlsplit(self.path)
                stand_in.requests.append(f"GET {url.path}")
                query = {key: values[0] for key, values in parse_qs(url.query).items()}
                if url.path == "/login/oauth/authorize":
                    code = f"code-{next(stand_in._ids)}"
                    stand_in.codes[code] = stand_in.login
                    back = urlencode({"code": code, "state": query.get("state", "")})
                    self.send_response(302)
                    self.send_header("Location", f"{query['redirect_uri']}?{back}")
                    self.end_headers()
                elif url.path == "/api/v3/user":
                    token = self.headers.get("Authorization", "").removeprefix("token ")
                    login = stand_in.tokens.get(token)
                    if login is None:
                        self._json(401, {"message": "Bad credentials"})
                    else:
                        self._json(200, {"id": sum(map(ord, login)), "login": login, "name": ""})
                else:
                    self._json(404, {"message": "Not Found"})

            def do_POST(self):
                stand_in.requests.append(f"POST {self.path}")
                length = int(self.headers.get("Content-Length", 0))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                login = stand_in.codes.pop(form.get("code", ""), None)
                if self.path != "/login/oauth/access_token" or login is None:
                    self._json(200, {"error": "bad_verification_code"})
                    return
                token = f"token-{next(stand_in._ids)}"
                stand_in.tokens[token] = login
                self._json(200, {"access_token": token, "token_type": "bearer", "scope": ""})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def point_allauth_at(monkeypatch, url: str) -> None:
    """What SOCIALACCOUNT_PROVIDERS["github"]["GITHUB_URL"] = url does, now: allauth reads that
    setting once, when its GitHub views are imported, and the stand-in's port is chosen later."""
    api = f"{url}/api/v3"
    monkeypatch.setattr(GitHubOAuth2Adapter, "web_url", url)
    monkeypatch.setattr(GitHubOAuth2Adapter, "api_url", api)
    monkeypatch.setattr(GitHubOAuth2Adapter, "authorize_url", f"{url}/login/oauth/authorize")
    monkeypatch.setattr(GitHubOAuth2Adapter, "access_token_url", f"{url}/login/oauth/access_token")
    monkeypatch.setattr(GitHubOAuth2Adapter, "profile_url", f"{api}/user")
    monkeypatch.setattr(GitHubOAuth2Adapter, "emails_url", f"{api}/user/emails")
