"""The served OpenAPI document is valid OpenAPI and says what each endpoint declares (no second description)."""
from openapi_spec_validator import validate

from tests.api_panel.conftest import auth


def test_the_served_document_validates(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    validate(response.get_json())


def test_the_document_shows_the_declared_constraints(client):
    spec = client.get("/api/openapi.json").get_json()
    schemas = spec["components"]["schemas"]
    loans = schemas[spec["paths"]["/api/loans"]["post"]["requestBody"]["content"]["application/json"]["schema"]
                    ["$ref"].rsplit("/", 1)[1]]
    amount = next(s for s in loans["properties"]["amount"]["anyOf"] if s.get("type") == "number")
    assert amount["exclusiveMinimum"] == 0  # a number in OpenAPI 3.1 (JSON Schema 2020-12)
    portfolio = {p["name"]: p for p in spec["paths"]["/api/portfolio"]["get"]["parameters"]}
    assert portfolio["since"]["schema"]["format"] == "date-time" and "pd" in portfolio["sort"]["schema"]["enum"]
    step = spec["paths"]["/api/pipeline/{step}"]["post"]["parameters"][0]
    assert step["in"] == "path" and "run_all" in step["schema"]["enum"]
    events = spec["paths"]["/api/events/repayments"]["post"]
    assert "Repayment event" in str(schemas[events["requestBody"]["content"]["application/json"]["schema"]["$ref"]
                                           .rsplit("/", 1)[1]])
    assert spec["paths"]["/api/audit"]["get"]["description"] == "Needs the admin role (or higher)."


def test_an_empty_since_is_refused_naming_it(client, tokens):
    response = client.get("/api/portfolio?since=", headers=auth(tokens["analyst"]))
    assert response.status_code == 400 and response.get_json()["field"] == "since"
    assert response.get_json()["error"] == "invalid_argument"


def test_a_repayment_batch_of_non_objects_is_refused_naming_the_entry(client, tokens):
    response = client.post("/api/events/repayments", json=[{"event_id": "E1"}, 7], headers=auth(tokens["analyst"]))
    assert response.status_code == 400 and response.get_json()["field"] == "events[1]"
    events = client.post("/api/events/repayments", json={"events": "all"}, headers=auth(tokens["analyst"]))
    assert events.status_code == 400 and events.get_json()["field"] == "events"
