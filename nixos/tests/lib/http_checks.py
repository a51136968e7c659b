# Runs the checks of nixos/tests/http-cases.json inside a NixOS VM test with
# curl, for every path marked "vm": true. `frigate-auth verify` runs the same
# file against stand-ins; this copy of the logic sees only what a client sees
# (status, Location, timing, and the identity Frigate reports on
# /api/profile), so the expectations that need a stand-in's request log
# (upstreamReached, absentHeaders, authServerBody, upstreamBodyIntact) are
# left to verify and listed as such in the test log.
#
# The file is pasted into the test script, so it must pass the test driver's
# pyflakes and mypy checks on its own.
import datetime
import html
import json
import shlex
import urllib.parse
from typing import Any, Protocol

# Expectations that only verify's stand-ins can observe.
STAND_IN_ONLY = ("upstreamReached", "absentHeaders", "authServerBody", "upstreamBodyIntact")

# NOTE: the two tables below follow from Frigate's routes and have not
# been observed in a VM run yet (no KVM where they were written); confirm
# them on the first run.
#
# Paths whose response from the real Frigate differs from the stand-in's 200,
# after nginx has let the request through.
REAL_FRIGATE_STATUS: dict[str, list[int]] = {
    # The test camera has no recordings from 2023, so Frigate answers 404.
    "/api/vod/front/start/1700000000/end/1700000060": [404],
}

# Frigate has no POST, PUT or DELETE handler on /api/config, so its router
# answers 405 once nginx has passed the request (and its body) on.
REAL_FRIGATE_METHOD_STATUS = [405]

CURL_TIMEOUT = datetime.timedelta(seconds=30)


class Shell(Protocol):
    """The part of the test driver's Machine that the checks use."""

    def succeed(self, *commands: str) -> str: ...

    def log(self, msg: str) -> None: ...


class Response:
    """Status, Location header, body and time of one curl request."""

    def __init__(self, status: int, location: str, body: str, seconds: float) -> None:
        self.status = status
        self.location = location
        self.body = body
        self.seconds = seconds

    def __repr__(self) -> str:
        return f"<Response {self.status} location={self.location!r} {self.seconds:.2f}s>"


def load_cases(path: str) -> dict[str, Any]:
    with open(path, encoding="utf-8") as file:
        cases: dict[str, Any] = json.load(file)
    if cases.get("version") != 1:
        raise AssertionError(f"{path}: unsupported version {cases.get('version')!r}, expected 1")
    return cases


def body_size(value: Any, max_body_bytes: int) -> int:
    """Resolve a bodyBytes entry: a number, "clientMaxBodySize" or "clientMaxBodySize+N"."""
    if isinstance(value, int):
        return value
    name, _, extra = str(value).partition("+")
    if name != "clientMaxBodySize":
        raise AssertionError(f"unknown bodyBytes value {value!r}")
    return max_body_bytes + (int(extra) if extra else 0)


class HttpChecks:
    """Runs the VM paths of http-cases.json against one scenario."""

    def __init__(self, machine: Shell, cases: dict[str, Any], scenario: dict[str, Any]) -> None:
        self.machine = machine
        self.cases = cases
        self.scenario = scenario
        self.vm_paths = [entry for entry in cases["paths"] if entry["vm"]]

    def applicable_checks(self) -> list[dict[str, Any]]:
        """Return the SSO checks that cover at least one VM path.

        Every VM test puts an SSO in front of Frigate, so checks written for
        Frigate's own login (modes: ["frigate"]) do not apply.
        """
        return [
            check
            for check in self.cases["checks"]
            if "sso" in check.get("modes", ["sso"]) and self.paths_of(check)
        ]

    def paths_of(self, check: dict[str, Any]) -> list[str]:
        only = check.get("only")
        return [
            entry["path"]
            for entry in self.vm_paths
            if entry["kind"] in check["kinds"] and (only is None or entry["path"] in only)
        ]

    def request(
        self,
        path: str,
        session: str,
        headers: dict[str, str] | None = None,
        method: str = "GET",
        body_bytes: int | None = None,
        internal: bool = False,
    ) -> Response:
        base = self.scenario["internalUrl"] if internal else self.scenario["baseUrl"]
        command = ["curl", "--silent", "--show-error", "--output", "/tmp/http-check-body"]
        command += ["--max-time", str(int(CURL_TIMEOUT.total_seconds()))]
        command += ["--write-out", "%{http_code} %{time_total} %header{location}"]
        command += ["--request", method]
        if session != "none":
            command += ["--cookie", self.scenario["sessions"][session]]
        for name, value in (headers or {}).items():
            command += ["--header", f"{name}: {value}"]
        prefix = ""
        if body_bytes is not None:
            prefix = f"head -c {body_bytes} /dev/zero > /tmp/http-check-upload && "
            command += ["--header", "Content-Type: application/octet-stream"]
            command += ["--data-binary", "@/tmp/http-check-upload"]
        command.append(base + path)

        output = self.machine.succeed(prefix + shlex.join(command))
        body = self.machine.succeed("cat /tmp/http-check-body")
        status, seconds, *location = output.strip().split(" ", 2)
        return Response(int(status), location[0] if location else "", body, float(seconds))

    def expected_identity(self, session: str) -> dict[str, str]:
        user: dict[str, str] = self.scenario["users"][session]
        return user

    def assert_profile(self, session: str, headers: dict[str, str] | None = None) -> None:
        """Assert that /api/profile names the session's own user and role."""
        expected = self.expected_identity(session)
        response = self.request("/api/profile", session, headers)
        assert response.status == 200, f"/api/profile as {session}: status {response.status}"
        profile = json.loads(response.body)
        self.machine.log(f"/api/profile as {session}: {profile}")
        assert profile.get("username") == expected["name"], (
            f"/api/profile as {session}: username {profile.get('username')!r}, "
            f"expected {expected['name']!r}"
        )
        assert profile.get("role") == expected["role"], (
            f"/api/profile as {session}: role {profile.get('role')!r}, "
            f"expected {expected['role']!r}"
        )

    def assert_response(self, check: dict[str, Any], path: str, response: Response) -> None:
        expect = check["expect"]
        label = f"{check['id']} {path}"
        self.machine.log(f"{label}: {response!r}")
        statuses = expect["status"]
        if check["request"]["session"] != "none" and path in REAL_FRIGATE_STATUS:
            statuses = REAL_FRIGATE_STATUS[path]
        assert response.status in statuses, f"{label}: status {response.status}, expected {statuses}"
        if expect.get("location") == "sign-in":
            sign_in = self.scenario["signInUrl"]
            assert response.location.startswith(sign_in), (
                f"{label}: Location {response.location!r} does not start with {sign_in!r}"
            )
        if "maxSeconds" in expect:
            assert response.seconds <= expect["maxSeconds"], (
                f"{label}: answered after {response.seconds:.2f} s, limit {expect['maxSeconds']} s"
            )

    def run(self, check: dict[str, Any]) -> None:
        """Run one check on each of its VM paths; raise AssertionError on the first failure."""
        request = check["request"]
        expect = check["expect"]
        left_to_verify = [key for key in STAND_IN_ONLY if key in expect]
        if left_to_verify:
            self.machine.log(f"{check['id']}: {left_to_verify} need stand-ins; checked by verify")

        for path in self.paths_of(check):
            if request["session"] == "sequence":
                self.run_sequence(check, path)
            elif "methods" in request:
                self.run_bodies(check, path)
            else:
                response = self.request(
                    path,
                    request["session"],
                    request.get("headers"),
                    internal=request.get("internal", False),
                )
                self.assert_response(check, path, response)

        identity = expect.get("identity")
        if identity in ("admin", "viewer"):
            self.assert_profile(identity, request.get("headers"))

    def run_bodies(self, check: dict[str, Any], path: str) -> None:
        request = check["request"]
        expect = check["expect"]
        max_body = self.scenario["clientMaxBodyBytes"]
        for method in request["methods"]:
            for size in request["bodyBytes"]:
                response = self.request(
                    path, request["session"], method=method, body_bytes=body_size(size, max_body)
                )
                label = f"{check['id']} {method} {path} with {size} bytes"
                self.machine.log(f"{label}: {response!r}")
                statuses = expect["status"]
                if statuses == [200]:
                    statuses = REAL_FRIGATE_METHOD_STATUS
                assert response.status in statuses, (
                    f"{label}: status {response.status}, expected {statuses}"
                )
                if "maxSeconds" in expect:
                    assert response.seconds <= expect["maxSeconds"], (
                        f"{label}: answered after {response.seconds:.2f} s, "
                        f"limit {expect['maxSeconds']} s"
                    )

    def run_sequence(self, check: dict[str, Any], path: str) -> None:
        """Request the path, then /api/profile, as each session in turn.

        /api/profile goes through the same 5 s API cache as the path, so a
        cache key without the user would hand the first user's profile to
        the second.
        """
        for session in check["request"]["sequence"]:
            self.assert_response(check, path, self.request(path, session))
            self.assert_profile(session)


def sign_in_with_dex(
    machine: Shell, base_url: str, jar: str, login: str, password: str
) -> None:
    """Sign in through oauth2-proxy and dex's password form, as a browser would."""
    start = f"{base_url}/oauth2/start?rd=%2F"
    form = machine.succeed(
        f"curl --silent --show-error --fail --location --cookie-jar {jar} --cookie {jar} "
        f"--write-out '\\n%{{url_effective}}' {shlex.quote(start)}"
    )
    page, _, form_url = form.rpartition("\n")
    actions = [html.unescape(part.split('"', 1)[0]) for part in page.split('action="')[1:]]
    assert actions, f"no login form on {form_url}:\n{page}"
    action = urllib.parse.urljoin(form_url, actions[0])
    machine.log(f"dex login form for {login}: {action}")

    result = machine.succeed(
        f"curl --silent --show-error --location --cookie-jar {jar} --cookie {jar} "
        f"--output /dev/null --write-out '%{{http_code}} %{{url_effective}}' "
        f"--data-urlencode {shlex.quote('login=' + login)} "
        f"--data-urlencode {shlex.quote('password=' + password)} {shlex.quote(action)}"
    )
    status, _, final_url = result.strip().partition(" ")
    assert status == "200", f"sign-in of {login} ended with status {status} at {final_url}"
    assert final_url.startswith(base_url), f"sign-in of {login} ended at {final_url}"


def sign_in_with_authelia(
    machine: Shell, portal_url: str, jar: str, login: str, password: str
) -> None:
    """Sign in through Authelia's first-factor API, as its portal page does."""
    payload = json.dumps({"username": login, "password": password, "keepMeLoggedIn": False})
    result = machine.succeed(
        f"curl --silent --show-error --cookie-jar {jar} --cookie {jar} "
        f"--header 'Content-Type: application/json' --data {shlex.quote(payload)} "
        f"--write-out '\\n%{{http_code}}' {shlex.quote(portal_url + '/api/firstfactor')}"
    )
    body, _, status = result.rpartition("\n")
    assert status == "200", f"Authelia first factor for {login}: status {status}, body {body}"
    assert json.loads(body).get("status") == "OK", f"Authelia first factor for {login}: {body}"

