"""The API is exactly as protected as Jupyter Server: token or cookie, XSRF on POST.

These requests go through ``http_server_client`` directly, because ``jp_fetch``
adds the server's token to every request.
"""

from __future__ import annotations

import json
import urllib.parse
from http.cookies import SimpleCookie
from typing import Any

import pytest
from tornado.httpclient import HTTPResponse

from nbjournal.store import Store

from .helpers import error_of, make_run

ENDPOINTS = [
    "experiments", "experiments/digits-mlp/insights", "experiments/digits-mlp/table",
    "experiments/digits-mlp/table.csv", "runs", "runs/{id}", "runs/{id}/metrics", "changes",
    "grids", "grids/{id}",
]  # fmt: skip


def url(base_url: str, path: str) -> str:
    return f"{base_url}nbjournal/api/{path}"


def cookies_of(response: HTTPResponse) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    for header in response.headers.get_list("Set-Cookie"):
        jar.load(header)
    return {name: morsel.value for name, morsel in jar.items()}


def cookie_header(cookies: dict[str, str]) -> str:
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


async def log_in(client: Any, base_url: str, token: str) -> dict[str, str]:
    """Log in through Jupyter's login page, as a browser does; returns the cookies it holds."""
    page = await client.fetch(f"{base_url}login", raise_error=False)
    cookies = cookies_of(page)
    form = urllib.parse.urlencode({"password": token, "_xsrf": cookies["_xsrf"]})
    answer = await client.fetch(
        f"{base_url}login",
        method="POST",
        body=form,
        headers={"Cookie": cookie_header(cookies)},
        follow_redirects=False,
        raise_error=False,
    )
    assert answer.code == 302, answer.body
    cookies.update(cookies_of(answer))
    assert any(name.startswith("username-") for name in cookies)
    return cookies


@pytest.mark.parametrize("endpoint", ENDPOINTS)
async def test_a_request_without_credentials_is_refused(
    store: Store, http_server_client: Any, jp_base_url: str, jp_serverapp: Any, endpoint: str
) -> None:
    # Given a journal with a run, and no token nor cookie
    run_id = make_run(store, epochs={"loss": [1.0]})

    # When the endpoint is asked anonymously
    response = await http_server_client.fetch(
        url(jp_base_url, endpoint.format(id=run_id)), raise_error=False
    )

    # Then Jupyter refuses it, as JSON
    assert response.code in (401, 403)
    error_of(response)


async def test_a_wrong_token_is_refused(
    store: Store, http_server_client: Any, jp_base_url: str, jp_serverapp: Any
) -> None:
    # Given a journal with a run
    make_run(store)

    # When a request carries a token that is not the server's
    response = await http_server_client.fetch(
        url(jp_base_url, "runs"),
        headers={"Authorization": "token not-the-token"},
        raise_error=False,
    )

    # Then it is refused
    assert response.code in (401, 403)


async def test_a_post_without_credentials_is_refused_and_writes_nothing(
    store: Store, http_server_client: Any, jp_base_url: str, jp_serverapp: Any
) -> None:
    # Given a run
    run_id = make_run(store)

    # When an anonymous page posts an inference
    response = await http_server_client.fetch(
        url(jp_base_url, f"runs/{run_id}/inferences"),
        method="POST",
        body=json.dumps({"text": "forged"}),
        raise_error=False,
    )

    # Then 403, and the journal is untouched
    assert response.code == 403
    error_of(response)
    assert store.get_run(run_id).inference_count == 0


@pytest.mark.parametrize("method", ["PATCH", "DELETE"])
async def test_an_anonymous_edit_or_delete_of_an_inference_is_refused(
    store: Store, http_server_client: Any, jp_base_url: str, jp_serverapp: Any, method: str
) -> None:
    # Given a run with a conclusion
    run_id = make_run(store)
    inference = store.add_inference(run_id, "as written", "supported")

    # When an anonymous page edits or deletes it
    response = await http_server_client.fetch(
        url(jp_base_url, f"runs/{run_id}/inferences/{inference.id}"),
        method=method,
        body=json.dumps({"text": "forged"}) if method == "PATCH" else None,
        raise_error=False,
    )

    # Then 403, and the conclusion is as it was, with no history
    assert response.code == 403
    run = store.get_run(run_id)
    assert [i.text for i in run.inferences] == ["as written"] and run.inference_history == ()


async def test_a_logged_in_browser_reads_with_its_cookie(
    store: Store, http_server_client: Any, jp_base_url: str, jp_serverapp: Any
) -> None:
    # Given a browser logged in with the server's token
    run_id = make_run(store)
    cookies = await log_in(http_server_client, jp_base_url, jp_serverapp.identity_provider.token)

    # When it lists runs with its cookie only
    response = await http_server_client.fetch(
        url(jp_base_url, "runs"), headers={"Cookie": cookie_header(cookies)}, raise_error=False
    )

    # Then it is served
    assert response.code == 200
    assert [r["id"] for r in json.loads(response.body)["runs"]] == [run_id]


async def test_a_cookie_post_needs_the_xsrf_token(
    store: Store, http_server_client: Any, jp_base_url: str, jp_serverapp: Any
) -> None:
    # Given a browser logged in by cookie
    run_id = make_run(store)
    cookies = await log_in(http_server_client, jp_base_url, jp_serverapp.identity_provider.token)
    target = url(jp_base_url, f"runs/{run_id}/inferences")
    body = json.dumps({"text": "from the sidebar", "verdict": "supported"})

    # When it posts with the cookie but without the XSRF header (a cross-site forgery)
    forged = await http_server_client.fetch(
        target,
        method="POST",
        body=body,
        headers={"Cookie": cookie_header(cookies)},
        raise_error=False,
    )

    # Then it is refused and nothing is written
    assert forged.code == 403
    error_of(forged)
    assert store.get_run(run_id).inference_count == 0

    # When it posts as JupyterLab does, echoing the XSRF cookie in a header
    genuine = await http_server_client.fetch(
        target,
        method="POST",
        body=body,
        headers={"Cookie": cookie_header(cookies), "X-XSRFToken": cookies["_xsrf"]},
        raise_error=False,
    )

    # Then it is accepted
    assert genuine.code == 201
    assert store.get_run(run_id).inference_count == 1
