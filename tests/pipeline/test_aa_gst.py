"""GSTR1_3B FI documents: read into raw gst_returns as sent, cleaned against schemas/, and refused when malformed."""
import datetime as dt

import orjson
import pytest

from generators.aa_fip import fi_documents, fip_records
from pipeline.aa_gst import GstrDocumentError, parse_gstr1_3b
from pipeline.aa_import import AAImportError, parse_aa_document
from pipeline.aa_store import import_aa
from pipeline.cleaning import clean_source
from pipeline.lake import Lake
from pipeline.stages import generate_stage

AS_OF = dt.date(2026, 11, 1)
CUSTOMER = "CUST_MSM_00006"


@pytest.fixture(scope="module")
def gstr_doc(config):
    [(fi_type, doc)] = fi_documents(CUSTOMER, ["GSTR1_3B"], AS_OF, config)
    assert fi_type == "GSTR1_3B"
    return orjson.loads(doc)


def test_round_trip_gives_the_fips_returns_and_they_all_clean(gstr_doc, config):
    result = parse_aa_document(orjson.dumps(gstr_doc), "gstr.json", fip_id="GSTN")
    held, _ = fip_records(CUSTOMER, "gst_returns", AS_OF, config)
    sent = [r for r in held if r["return_type"].upper() in ("GSTR1", "GSTR3B")]
    assert result.accounts == [] and result.transactions == []
    assert sorted(map(orjson.dumps, result.gst_returns)) == sorted(map(orjson.dumps, sent))
    assert result.fi_types == {"GSTR1_3B": ["1.0.0"]} and result.fi_versions == []
    report = clean_source("gst_returns", [orjson.dumps(r) for r in result.gst_returns]).report
    assert report["quarantined"]["total"] == 0 and report["written"] > 20


def test_the_envelope_fills_in_gstin_and_return_type():
    account = {"type": "GSTR1_3B", "Profile": {"BusinessDetails": {"gstin": "06ZNWPT8400A1Z6"}},
               "Transactions": {"Gstr3bDetails": {"gstr3b": {"ret_prd": "102026", "status": "FILED"}}}}
    records, version = parse_gstr1_3b(account)
    assert records == [{"ret_prd": "102026", "status": "FILED", "gstin": "06ZNWPT8400A1Z6", "return_type": "GSTR3B"}]
    assert version is None


def _break(doc, how):
    acc = doc["account"]
    txns = acc["transactions"]
    if how == "no_transactions":
        del acc["transactions"]
    elif how == "no_returns":
        txns["gstr1Details"]["gstr1"], txns["gstr3bDetails"]["gstr3b"] = [], []
    elif how == "wrong_list":
        txns["gstr3bDetails"]["gstr3b"].append(txns["gstr1Details"]["gstr1"][0])
    elif how == "other_gstin":
        txns["gstr1Details"]["gstr1"][1]["gstin"] = "29AAAPL1234C1Z5"
    elif how == "not_an_object":
        txns["gstr3bDetails"]["gstr3b"][2] = "GSTR3B 042025"
    elif how == "no_period":
        del txns["gstr3bDetails"]["gstr3b"][0]["ret_prd"]
    return orjson.dumps(doc)


@pytest.mark.parametrize("how, message", [
    ("no_transactions", r"account\.transactions: missing"),
    ("no_returns", r"no GSTR-1 or GSTR-3B return"),
    ("wrong_list", r"gstr3b\[\d+\]: a GSTR1 return inside the GSTR3B list"),
    ("other_gstin", r"gstr1\[1\]: a return of GSTIN 29AAAPL1234C1Z5, not the account's"),
    ("not_an_object", r"gstr3b\[2\]: expected a return object"),
    ("no_period", r"gstr3b\[0\]: missing ret_prd"),
    ("truncated", r"line 1, column \d+: invalid JSON"),
])
def test_a_malformed_gstr1_3b_document_is_refused_and_nothing_written(tmp_path, config, gstr_doc, how, message):
    lake = Lake(tmp_path / "lake")
    generate_stage(lake, CUSTOMER, config, as_of=AS_OF)
    before = {p: p.read_bytes() for p in lake.root.rglob("*") if p.is_file()}
    data = orjson.dumps(gstr_doc)[:5000] if how == "truncated" else _break(orjson.loads(orjson.dumps(gstr_doc)), how)
    path = tmp_path / "gstr.json"
    path.write_bytes(data)
    with pytest.raises(AAImportError, match=rf"gstr\.json: .*{message}"):
        import_aa(lake, CUSTOMER, path)
    assert {p: p.read_bytes() for p in lake.root.rglob("*") if p.is_file()} == before


def test_the_parser_error_names_where():
    with pytest.raises(GstrDocumentError) as err:
        parse_gstr1_3b({"type": "gstr1_3b", "transactions": {"gstr1Details": []}}, "fi[0]")
    assert err.value.where == "fi[0].transactions.gstr1Details" and "expected an object" in str(err.value)
