"""The cleaner on small hand-built feeds whose right answers are known."""
import orjson
import pytest

from pipeline.cleaning import clean_source
from pipeline.sources import infer_mode


def txn(txn_id, **overrides):
    record = {
        "linkedAccRef": "ACC1", "txnId": txn_id, "type": "CREDIT", "mode": "UPI", "amount": 1500.0,
        "currentBalance": 10000.0, "transactionTimestamp": "2024-01-05T13:20:14+05:30", "valueDate": "2024-01-05",
        "narration": "UPI/CR/412345678901/RAHUL SHARMA/okicici/Payment", "reference": "RFN1",
    }
    record.update(overrides)
    return {k: v for k, v in record.items() if v is not ...}


def lines(*records):
    return [r if isinstance(r, bytes) else orjson.dumps(r) for r in records]


def test_messy_formats_are_repaired_to_canonical_values():
    raw = txn("T1", amount="₹1,23,456.50", currentBalance="Rs. 2,00,000", type="credit",
              transactionTimestamp="05/01/2024 13:20:14", valueDate=1704393000000)
    result = clean_source("transactions", lines(raw))
    assert result.clean == [txn("T1", amount=123456.5, currentBalance=200000.0)]
    assert result.report["repaired"] == {"amount_currency_prefix": 2, "date_epoch_ms": 1,
                                         "enum_case": 1, "timestamp_dd/mm/yyyy": 1}


def test_missing_optional_fields_are_filled_or_counted():
    raw = txn("T1", mode=..., valueDate=..., reference=..., narration="ATM/CASH WDL/SBIN0001234/BLR")
    result = clean_source("transactions", lines(raw))
    record = result.clean[0]
    assert record["mode"] == "ATM" and record["valueDate"] == "2024-01-05" and "reference" not in record
    assert result.report["repaired"] == {"mode_inferred": 1, "value_date_filled": 1}
    assert result.report["missing_optional"] == {"reference": 1}


def test_duplicates_are_dropped_by_natural_key_even_in_another_format():
    first = txn("T1")
    resent = txn("T1", amount="1,500.00", transactionTimestamp="05-Jan-2024 13:20:14")
    other_amount = txn("T1", amount=1600.0)  # same id, different money: a red flag, not a duplicate
    result = clean_source("transactions", lines(first, resent, other_amount))
    assert [r["amount"] for r in result.clean] == [1500.0, 1600.0]
    assert result.report["duplicates"] == 1
    assert result.report["duplicate_examples"][0][0] == 2


def test_unsalvageable_lines_are_quarantined_with_every_reason():
    broken = b'{"linkedAccRef": "ACC1", "txnId": "T9", "amou'
    negative_unknown = txn("T2", amount="-500.00", type="PENDING")
    no_narration = txn("T3", narration=...)
    array = b"[1, 2]"
    result = clean_source("transactions", lines(txn("T1"), broken, negative_unknown, no_narration, array))
    assert len(result.clean) == 1
    q = {entry["line"]: entry for entry in result.quarantine}
    assert set(q) == {2, 3, 4, 5}
    assert q[2]["reasons"][0]["code"] == "malformed_json" and q[2]["raw"] == broken.decode()
    assert [r["code"] for r in q[3]["reasons"]] == ["amount:exclusiveMinimum", "type:enum"]
    assert q[4]["reasons"][0]["code"] == "narration:required"
    assert q[5]["reasons"][0]["code"] == "not_an_object"
    report = result.report
    assert report["quarantined"]["by_reason"] == {"amount:exclusiveMinimum": 1, "malformed_json": 1,
                                                  "narration:required": 1, "not_an_object": 1, "type:enum": 1}
    assert report["read"] == report["written"] + report["duplicates"] + report["quarantined"]["total"] == 5


def test_unparseable_amount_is_named_in_the_reason():
    result = clean_source("transactions", lines(txn("T1", amount="twelve hundred")))
    codes = [r["code"] for r in result.quarantine[0]["reasons"]]
    assert "amount:unparseable_amount" in codes


@pytest.mark.parametrize("amount", ["-₹-5", "₹--5", "--1,234"])
def test_an_amount_with_two_signs_is_quarantined_not_a_crash(amount):
    result = clean_source("transactions", lines(txn("T1", amount=amount), txn("T2")))
    assert [r["txnId"] for r in result.clean] == ["T2"]
    assert "amount:unparseable_amount" in [r["code"] for r in result.quarantine[0]["reasons"]]


def test_nested_paths_are_repaired_in_gst_returns():
    gstr1 = {"gstin": "29ABCDE1234F1Z5", "return_type": "gstr1", "ret_prd": "042024", "due_date": "11/05/2024",
             "dof": "10-May-2024", "status": "FILED",
             "b2b": [{"ctin": "27AAACB1234C1Z2", "inv": [{"inum": "INV1", "idt": "03/04/2024", "val": "1,18,000.00",
                      "itms": [{"num": 1, "itm_det": {"rt": 18, "txval": "₹1,00,000", "iamt": 18000}}]}]}]}
    result = clean_source("gst_returns", lines(gstr1))
    assert result.quarantine == []
    inv = result.clean[0]["b2b"][0]["inv"][0]
    assert inv == {"inum": "INV1", "idt": "2024-04-03", "val": 118000.0,
                   "itms": [{"num": 1, "itm_det": {"rt": 18, "txval": 100000.0, "iamt": 18000.0}}]}
    assert result.clean[0]["return_type"] == "GSTR1"


def test_cleaning_is_deterministic():
    feed = lines(txn("T1", amount="1,500.00"), txn("T1"), b"{bad", txn("T2", type="debit"))
    first = clean_source("transactions", feed)
    second = clean_source("transactions", feed)
    assert orjson.dumps([first.clean, first.quarantine, first.report]) == \
        orjson.dumps([second.clean, second.quarantine, second.report])


@pytest.mark.parametrize("narration, mode", [
    ("UPI/DR/412345678901/SWIGGY/ybl/Payment", "UPI"), ("NEFT/N123242334455/SHREE BALAJI TRADERS/HDFC0001234", "FT"),
    ("ATM/CASH WDL/SBIN0001234/MG ROAD", "ATM"), ("CASH DEPOSIT BY SELF", "CASH"), ("POS/AMAZON/CARD 1234", "CARD"),
    ("NACH/ACH DR/BAJAJ FINANCE LTD/UMRN123", "OTHERS"),
])
def test_mode_inference_from_narration(narration, mode):
    assert infer_mode(narration) == mode


def _format_fields(schema, path=""):
    """(path, format) of every property with a format, as pipeline.sources spells paths."""
    found = []
    if isinstance(schema, dict):
        if "format" in schema and path:
            found.append((path, schema["format"]))
        for key, sub in schema.get("properties", {}).items():
            found += _format_fields(sub, f"{path}.{key}" if path else key)
        if "items" in schema:
            found += _format_fields(schema["items"], f"{path}[]")
    return found


@pytest.mark.parametrize("source", list(__import__("pipeline.sources", fromlist=["SPECS"]).SPECS))
def test_every_formatted_field_is_parsed_by_the_cleaner(source):
    # the fast validator skips `format` because the cleaner parses these fields; this keeps that true
    from pipeline.sources import SPECS
    from pipeline.validation import load_schema
    spec = SPECS[source]
    for path, fmt in _format_fields(load_schema(source)):
        declared = spec.dates if fmt == "date" else spec.timestamps
        assert path in declared, f"{source}.{path} ({fmt}) is not declared in pipeline.sources"


def test_parallel_cleaning_gives_the_same_result_as_one_process():
    feed = []
    for i in range(400):
        feed.append(txn(f"T{i}", amount=f"{1000 + i}.00", transactionTimestamp=f"05/01/2024 13:{i % 60:02d}:14"))
        if i % 7 == 0:
            feed.append(txn(f"T{i}", amount=float(1000 + i), transactionTimestamp=f"2024-01-05T13:{i % 60:02d}:14+05:30"))
        if i % 50 == 0:
            feed.append(b"{broken")
    one = clean_source("transactions", lines(*feed))
    two = clean_source("transactions", lines(*feed), workers=2)
    assert orjson.dumps([one.clean, one.quarantine, one.report]) == orjson.dumps([two.clean, two.quarantine, two.report])
    assert one.report["duplicates"] == 58 and one.report["quarantined"]["total"] == 8


def test_a_hash_collision_never_drops_a_record():
    # two different records forced onto one hash: the parallel merge must compare the real keys
    from pipeline.cleaning import _Partial, cleaner_for
    a, b = orjson.dumps(txn("T1")), orjson.dumps(txn("T2"))
    part = _Partial(read=3, valid=[(1, 42, a), (2, 42, b), (3, 42, a)])
    result = cleaner_for("transactions").finish([part], hashed=True)
    assert result.clean_lines == [a, b] and result.report["duplicates"] == 1


def test_gstr2b_records_survive_heavy_mess_and_none_is_quarantined(config):
    # every GSTR-2B of the fraud demo customer, its amounts rendered as strings with lakh grouping and rupee
    # prefixes and its dates in four formats: the cleaner must give back exactly the canonical records
    import random

    from generators.messiness import render_source
    from generators.registry import generate_customer
    from pipeline.sources import SPECS
    from tests.conftest import AS_OF

    records = [r for r in generate_customer("CUST_MSM_00006", None, AS_OF, config).records["gst_returns"]
               if r["return_type"] == "GSTR2B"]
    mess = {**config["messiness_config"], "duplicate_rate": 0, "unrepairable_rate": 0, "missing_optional_rate": 0,
            "amount_formats": {"indian_grouped": 0.5, "rupee_symbol": 0.5},
            "date_formats": {"dd/mm/yyyy": 0.5, "epoch_ms": 0.5}}
    lines, account = render_source(SPECS["gst_returns"], records, mess, random.Random(7))
    assert account["repairs"]["amount_indian_grouping"] > 0 and account["repairs"]["date_epoch_ms"] > 0
    result = clean_source("gst_returns", lines)
    assert result.quarantine == [] and result.report["written"] == len(records) == 35
    assert result.clean == records
