"""The HTML pages listing what the simulator received."""


def test_the_empty_listing(client):
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert "No submissions received yet." in response.text


def test_the_listing_shows_each_submission_escaped(client, submit, payload):
    payload["kyc"]["clients"][0]["last_name"] = "<b>O'Brien</b>"
    submit(payload, key="k-1")
    payload["case_reference"] = "PRO-000124"
    submit(payload, key="k-2")
    client.post("/admin/faults", json={"rates": {"429": 0.25}, "seed": 3})
    page = client.get("/").text
    assert "Received submissions (2)" in page
    assert page.index("CH-000002") < page.index("CH-000001")
    assert "&lt;b&gt;O&#x27;Brien&lt;/b&gt;" in page
    assert "<b>O'Brien</b>" not in page
    assert "life_and_critical_illness" in page
    assert "k-1" in page
    assert "Global faults: 429 25% (seed 3)" in page


def test_the_detail_page_shows_the_payload(client, submit, payload):
    submit(payload)
    page = client.get("/submissions/CH-000001")
    assert page.status_code == 200
    assert "Submission CH-000001" in page.text
    assert "&quot;advice_summary&quot;" in page.text
    missing = client.get("/submissions/CH-999999")
    assert missing.status_code == 404
    assert "No submission CH-999999" in missing.text
