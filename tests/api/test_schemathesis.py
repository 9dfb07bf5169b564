"""Property-based run over the whole OpenAPI document (schemathesis, in-process WSGI):
no server error, every response matches its schema, auth enforced where declared.

Driven from inside one test (operation by operation) rather than by schemathesis'
pytest plugin, which does not follow pytest 9's item API.
"""

from __future__ import annotations

import re

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

import support

pytestmark = pytest.mark.slow
EXAMPLES = 5


@pytest.fixture
def token(app, seeded, token_for) -> str:
    user = support.make_user(app, "enterprise")
    browser = app.test_client()
    support.login(browser, user.email)
    return token_for(app, browser)


def _check(operation, headers: dict | None) -> None:  # noqa: ANN001
    @given(case=operation.as_strategy())
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def conforms(case) -> None:  # noqa: ANN001
        case.call_and_validate(headers=headers)

    conforms()


def test_whole_api_conforms_to_its_schema(app, token):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 7
    for operation in operations:
        secured = bool(operation.definition.raw.get("security"))
        _check(operation, {"Authorization": f"Bearer {token}"} if secured else None)
        if secured:  # without a token: 401 before the input is even read
            path = re.sub(r"\{[^}]+\}", "1", operation.path)
            r = app.test_client().open(path, method=operation.method.upper(), json={})
            assert r.status_code == 401, operation.path
