"""Importing Account Aggregator DEPOSIT FI data (JSON and ReBIT XML) into the raw layer.

The published samples in /work/shared/samples/aa are documentation examples
with elisions; they must be refused as they are and import once stripped.
Everything runs on real files in ``tmp_path``.
"""
from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.aa_import import AAImportError, ImportResult, parse_aa_document
from pipeline.aa_store import import_aa
from pipeline.lake import InvalidCustomerIdError, Lake

SAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "samples" / "aa"
CID = "CUST_AAI_00001"

V1_ACCOUNT = {
    "linkedAccRef": "123456789",
    "maskedAccNumber": "XXXXXXX123",
    "type": "deposit",
    "version": "1.1",
    "profile": {"holders": {"type": "SINGLE", "holder": [{
        "name": "Ramkrishna Sapan", "dob": "24-07-1970", "mobile": "91729391923", "email": "ram.sapan@gmail.com",
        "pan": "AAAPL1234C", "nominee": "REGISTERED", "ckycCompliance": "true",
        "address": "4/1290, 785th Cross, 13rd Main, 7th Block, Bangalore - 569911",
    }]}},
    "summary": {
        "currentBalance": "101666.33", "currency": "INR", "balanceDateTime": "2021-06-22T13:20:00+05:30",
        "type": "SAVINGS", "facility": "OD", "ifscCode": "APNB0001154", "branch": "Jayanagar 7th Block",
        "micrCode": "500245646", "openingDate": "06-08-1999", "currentODLimit": "0", "drawingLimit": "0",
        "status": "ACTIVE",
    },
}
V1_TRANSACTION = {
    "linkedAccRef": "123456789", "txnId": "M3258741", "type": "DEBIT", "mode": "UPI", "amount": "1239",
    "currentBalance": "62289.25", "transactionTimestamp": "2021-04-01T13:20:14+05:30", "valueDate": "2021-04-01",
    "narration": "UPI/935314560764/getsimpl/simpl@axisbank/Axis Bank", "reference": "RFN00013383",
}

V1_XML = """<?xml version="1.0" encoding="UTF-8"?>
<Account xmlns="http://api.rebit.org.in/FISchema/deposit" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
         xsi:schemaLocation="http://api.rebit.org.in/FISchema/deposit ../FISchema/deposit.xsd"
         linkedAccRef="123456789" maskedAccNumber="XXXXXXX123" version="1.1" type="deposit">
  <Profile>
    <Holders type="Single">
      <Holder name="Ramkrishna Sapan" dob="24-07-1970" mobile="91729391923" nominee="REGISTERED" landline=""
              address="4/1290, 785th Cross, 13rd Main, 7th Block, Bangalore - 569911"
              email="ram.sapan@gmail.com" pan="AAAPL1234C" ckycCompliance="true"/>
    </Holders>
  </Profile>
  <Summary currentBalance="101666.33" currency="INR" exchgeRate="" balanceDateTime="2021-06-22T13:20:00+05:30"
           type="SAVINGS" branch="Jayanagar 7th Block" facility="OD" ifscCode="APNB0001154" micrCode="500245646"
           openingDate="06-08-1999" currentODLimit="0" drawingLimit="0" status="ACTIVE">
    <Pending transactionType="DEBIT" amount="0"/>
  </Summary>
  <Transactions startDate="" endDate="">
    <Transaction type="DEBIT" mode="UPI" amount="1239" currentBalance="62289.25"
                 transactionTimestamp="2021-04-01T13:20:14+05:30" valueDate="2021-04-01" txnId="M3258741"
                 narration="UPI/935314560764/getsimpl/simpl@axisbank/Axis Bank" reference="RFN00013383"/>
  </Transactions>
</Account>
"""


# ---- helpers -----------------------------------------------------------------
def strip_elisions(text: str) -> str:
    """Make a documentation sample strict JSON: drop ``// ...`` comments and ``.......`` lines (and their comma)."""
    text = re.sub(r"(?m)(^|[ \t])//.*$", r"\1", text)
    text = re.sub(r",\s*\n[ \t]*\.{3,}[ \t]*(?=\n)", "", text)
    return re.sub(r"(?m)^[ \t]*\.{3,}[ \t]*\n", "", text)


@pytest.fixture
def samples() -> Path:
    if not SAMPLES.is_dir():
        pytest.skip(f"AA samples not found at {SAMPLES} (they live in the shared workspace, outside the repo)")
    return SAMPLES


def sample(samples: Path, name: str) -> dict:
    """A sample with its elisions stripped, parsed (proving the stripping yields strict JSON)."""
    return json.loads(strip_elisions((samples / name).read_text(encoding="utf-8")))


@pytest.fixture
def lake(tmp_path: Path) -> Lake:
    return Lake(tmp_path / "lake")


def write(tmp_path: Path, name: str, content: object) -> Path:
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(orjson.dumps(content))
    return path


def raw(lake: Lake, source: str) -> list[dict]:
    return lake.read_ndjson(lake.raw_path(CID, source))


def fi_data_ready(*accounts: dict, fip_id: str = "setu-fip") -> dict:
    """An FI_DATA_READY document wrapping each account in ``fiData[0].data[i].decryptedFI.account``."""
    return {"type": "FI_DATA_READY", "consentId": "c-1", "fiData": [{"fipID": fip_id, "data": [
        {"linkRefNumber": f"link-{i}", "maskedAccNumber": "XXXX0000", "decryptedFI": {"account": account}}
        for i, account in enumerate(accounts)]}]}


# ---- the published samples -----------------------------------------------------
@pytest.mark.parametrize("name, line, column", [
    ("DEPOSIT_rebit_v1.json", 58, 7),
    ("DEPOSIT_rebit_v2.json", 62, 7),
    ("setu_fi_data_ready_webhook_deposit_v1.1.json", 5, 26),
])
def test_samples_as_published_are_refused_with_line_and_column(samples, lake, name, line, column):
    with pytest.raises(AAImportError, match=rf"{re.escape(name)}: line {line}, column {column}: invalid JSON"):
        import_aa(lake, CID, samples / name)
    assert not (lake.root / "raw").exists()


def test_v1_sample_maps_exactly(samples, lake, tmp_path):
    result = import_aa(lake, CID, write(tmp_path, "v1.json", sample(samples, "DEPOSIT_rebit_v1.json")))
    assert raw(lake, "accounts") == [V1_ACCOUNT]
    assert raw(lake, "transactions") == [V1_TRANSACTION]
    assert result.fi_versions == ["1.1"] and result.warnings == []


def test_v2_sample_maps_v2_names_to_v1(samples, lake, tmp_path):
    result = import_aa(lake, CID, write(tmp_path, "v2.json", sample(samples, "DEPOSIT_rebit_v2.json")))
    [account] = raw(lake, "accounts")
    [txn] = raw(lake, "transactions")
    assert txn["currentBalance"] == "62289.25" and "transactionalBalance" not in txn
    assert account["summary"]["ifscCode"] == "APNB0001154" and "ifsc" not in account["summary"]
    assert account["summary"]["type"] == "SAVINGS" and "accountSubType" not in account["summary"]
    assert account["profile"]["holders"]["type"] == "SINGLE"
    assert account["profile"]["holders"]["holder"][0]["ckycCompliance"] == "true"
    assert "ckycRegistered" not in account["profile"]["holders"]["holder"][0]
    assert account == {**V1_ACCOUNT, "version": "2.0.0"}
    assert result.fi_versions == ["2.0.0"]


def test_v1_and_v2_give_the_same_transactions(samples):
    v1 = parse_aa_document(orjson.dumps(sample(samples, "DEPOSIT_rebit_v1.json")))
    v2 = parse_aa_document(orjson.dumps(sample(samples, "DEPOSIT_rebit_v2.json")))
    assert v1.transactions == v2.transactions == [V1_TRANSACTION]


def test_webhook_sample_keeps_fip_and_both_transactions(samples, lake, tmp_path):
    doc = sample(samples, "setu_fi_data_ready_webhook_deposit_v1.1.json")
    result = import_aa(lake, CID, write(tmp_path, "webhook.json", doc))
    [account] = raw(lake, "accounts")
    assert account["fipId"] == "setu-fip"
    assert account["linkedAccRef"] == "4b4cc8fb-89eb-41c3-bc64-fec2497d5454"
    assert account["profile"]["holders"]["holder"][0]["ckycCompliance"] == "false"
    assert "summary" not in account  # the webhook sample sends no summary
    txns = raw(lake, "transactions")
    assert [t["txnId"] for t in txns] == ["EUCE23840883221703", "ZJGE96715479740775"]
    assert txns[0]["amount"] == "33834.65" and txns[0]["currentBalance"] == "489971.1"
    assert {t["linkedAccRef"] for t in txns} == {account["linkedAccRef"]}
    assert result.consent_ids == ["58180119-15bc-454f-83bb-192efda9321b"]


def test_customer_meta_holds_provenance_but_no_personal_data(samples, lake, tmp_path):
    doc = sample(samples, "setu_fi_data_ready_webhook_deposit_v1.1.json")
    import_aa(lake, CID, write(tmp_path, "webhook.json", doc))
    path = lake.customer_meta_path(CID)
    assert lake.read_json(path) == {
        "customer_id": CID, "profile": "imported", "source": "aa_import",
        "business_name": "Tushar Balakrishnan", "owner_name": "Tushar Balakrishnan",
        "imported_from": "webhook.json", "fi_versions": ["1.1"], "accounts": 1, "transactions": 2,
        "consent_ids": ["58180119-15bc-454f-83bb-192efda9321b"],
    }
    text = path.read_text()
    for personal in ("SMPXE2207K", "3536459776", "buchzain@setu-dummy.com", "1983-09-08", "Das Nagar"):
        assert personal not in text


# ---- document shapes -------------------------------------------------------------
def test_list_of_two_accounts(lake, tmp_path):
    second = copy.deepcopy(V1_ACCOUNT) | {"linkedAccRef": "987654321", "maskedAccNumber": "XXXXXXX987"}
    second["transactions"] = {"transaction": [dict(V1_TRANSACTION, txnId="T2")]}
    first = copy.deepcopy(V1_ACCOUNT) | {"transactions": {"transaction": V1_TRANSACTION}}  # a single transaction object, not a list
    result = import_aa(lake, CID, write(tmp_path, "two.json", [first, second]))
    assert [a["linkedAccRef"] for a in raw(lake, "accounts")] == ["123456789", "987654321"]
    assert [(t["linkedAccRef"], t["txnId"]) for t in raw(lake, "transactions")] == [
        ("123456789", "M3258741"), ("987654321", "T2")]
    assert lake.read_json(lake.customer_meta_path(CID))["accounts"] == 2 and result.warnings == []


@pytest.mark.parametrize("wrapper", ["account", "Account"])
def test_account_wrapper(samples, wrapper):
    bare = sample(samples, "DEPOSIT_rebit_v1.json")
    wrapped = parse_aa_document(orjson.dumps({wrapper: bare}))
    assert wrapped == parse_aa_document(orjson.dumps(bare))
    assert wrapped.accounts == [V1_ACCOUNT]


def test_key_variants_holder_object_and_derived_ref():
    doc = {"Account": {
        "Type": "DEPOSIT", "masked_account_number": "XXXX4321", "version": "1.1",
        "Profile": {"Holders": {"type": "joint", "Holder": {"name": "A Kumar", "landline": "", "ckyc_compliance": "false"}}},
        "Summary": {"current_balance": "10", "ifsc_code": "HDFC0000001", "exchgeRate": "", "branch": "  "},
        "Transactions": {"Transaction": [{"txn_id": "1", "type": "CREDIT", "amount": "5", "narration": ""}]},
    }}
    result = parse_aa_document(orjson.dumps(doc))
    again = parse_aa_document(orjson.dumps(doc))
    [account] = result.accounts
    assert account["linkedAccRef"].startswith("AAIMP-") and account["linkedAccRef"] == again.accounts[0]["linkedAccRef"]
    assert account["profile"] == {"holders": {"type": "JOINT", "holder": [{"name": "A Kumar", "ckycCompliance": "false"}]}}
    assert account["summary"] == {"currentBalance": "10", "ifscCode": "HDFC0000001"}
    assert result.transactions == [{"linkedAccRef": account["linkedAccRef"], "txnId": "1", "type": "CREDIT", "amount": "5"}]
    assert any("derived from the masked account number" in w for w in result.warnings)


def test_xml_equals_json(samples, lake, tmp_path):
    from_json = parse_aa_document(orjson.dumps(sample(samples, "DEPOSIT_rebit_v1.json")))
    result = import_aa(lake, CID, write(tmp_path, "v1.xml", V1_XML))
    assert (result.accounts, result.transactions) == (from_json.accounts, from_json.transactions)
    assert raw(lake, "accounts") == [V1_ACCOUNT] and raw(lake, "transactions") == [V1_TRANSACTION]


def test_xml_wrapper_with_several_accounts_and_element_paths():
    account = V1_XML.split("?>", 1)[1]
    second = account.replace('linkedAccRef="123456789"', 'linkedAccRef="222"').replace(
        "</Transactions>", '<Transaction type="CREDIT" amount="5" txnId="X2"/></Transactions>')
    doc = f'<Accounts xmlns="http://api.rebit.org.in/FISchema/deposit">{account}{second}</Accounts>'
    result = parse_aa_document(doc.encode())
    assert [a["linkedAccRef"] for a in result.accounts] == ["123456789", "222"]
    assert [t["txnId"] for t in result.transactions] == ["M3258741", "M3258741", "X2"]
    broken = doc.replace('txnId="X2"', "")
    with pytest.raises(AAImportError, match=re.escape("a.xml: /Accounts/Account[2]/Transactions/Transaction[2]: "
                                                      "missing txnId")):
        parse_aa_document(broken.encode(), "a.xml")


def test_xml_type_from_namespace_and_non_deposit_namespace_skipped():
    no_type = V1_XML.replace(' type="deposit"', "", 1)
    assert parse_aa_document(no_type.encode()).accounts == [V1_ACCOUNT]
    mf = no_type.replace("FISchema/deposit", "FISchema/mutual_funds")
    with pytest.raises(AAImportError, match=r"no DEPOSIT or GSTR1_3B account in the document \(skipped: mutual_funds\)"):
        parse_aa_document(mf.encode())


def test_malformed_xml_names_line_and_column(lake, tmp_path):
    path = write(tmp_path, "bad.xml", V1_XML.replace('amount="1239"', "amount=1239"))
    with pytest.raises(AAImportError, match=r"bad\.xml: line 18, column 49: malformed XML"):
        import_aa(lake, CID, path)


def test_xml_entities_are_refused():
    bomb = '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "xxxxxxxx"><!ENTITY y "&x;&x;&x;">]><Account>&y;</Account>'
    with pytest.raises(AAImportError, match="DTD or entity"):
        parse_aa_document(bomb.encode())


def test_decrypted_fi_as_xml_string():
    doc = {"fiData": [{"fipID": "HDFC-FIP", "data": [{"decryptedFI": V1_XML}]}]}
    result = parse_aa_document(orjson.dumps(doc))
    assert result.accounts == [{**V1_ACCOUNT, "fipId": "HDFC-FIP"}]
    assert result.transactions == [V1_TRANSACTION]


# ---- FI types ------------------------------------------------------------------
def test_non_deposit_fi_is_skipped_with_a_warning(samples):
    deposit = sample(samples, "DEPOSIT_rebit_v1.json")
    funds = sample(samples, "MUTUAL_FUNDS_rebit_v2.json")
    result = parse_aa_document(orjson.dumps(fi_data_ready(deposit, funds)))
    assert [a["linkedAccRef"] for a in result.accounts] == ["123456789"]
    assert [t["txnId"] for t in result.transactions] == ["M3258741"]
    assert result.warnings == ["fiData[0].data[1].decryptedFI.account: skipped a mutual_funds account: "
                               "only DEPOSIT and GSTR1_3B FI are imported"]


def test_document_with_only_mutual_funds_is_an_error(samples, lake, tmp_path):
    path = write(tmp_path, "mf.json", fi_data_ready(sample(samples, "MUTUAL_FUNDS_rebit_v2.json")))
    with pytest.raises(AAImportError, match=r"mf\.json: no DEPOSIT or GSTR1_3B account in the document \(skipped: mutual_funds\)"):
        import_aa(lake, CID, path)
    assert not (lake.root / "raw").exists()


# ---- structural errors ------------------------------------------------------------
def test_missing_txn_id_names_the_path(lake, tmp_path):
    account = copy.deepcopy(V1_ACCOUNT)
    account["transactions"] = {"transaction": [dict(V1_TRANSACTION, txnId=f"T{i}") for i in range(5)]}
    del account["transactions"]["transaction"][3]["txnId"]
    path = write(tmp_path, "doc.json", fi_data_ready(account))
    with pytest.raises(AAImportError, match=re.escape(
            "doc.json: fiData[0].data[0].decryptedFI.account.transactions.transaction[3]: missing txnId")):
        import_aa(lake, CID, path)
    assert not (lake.root / "raw").exists()


@pytest.mark.parametrize("change, message", [
    (lambda t: t.pop("amount"), "transactions.transaction[0]: missing amount"),
    (lambda t: t.update(type="", txnId=None), "transactions.transaction[0]: missing txnId, type"),
    (lambda t: t.update(amount={"value": 1}), "transactions.transaction[0].amount: expected a single value"),
])
def test_bad_transactions_are_errors(change, message):
    account = copy.deepcopy(V1_ACCOUNT)
    txn = dict(V1_TRANSACTION)
    change(txn)
    account["transactions"] = {"transaction": [txn]}
    with pytest.raises(AAImportError, match=re.escape(message)):
        parse_aa_document(orjson.dumps(account))


def test_account_without_transactions_container_is_an_error():
    with pytest.raises(AAImportError, match=re.escape("<input>: [1]: missing transactions")):
        parse_aa_document(orjson.dumps([V1_ACCOUNT | {"transactions": {}}, V1_ACCOUNT | {"linkedAccRef": "2"}]))


def test_other_structural_errors():
    cases = {
        b"": "<input>: empty document",
        b"42": "<input>: document root: expected an object, found a number",
        b'{"hello": 1}': "<input>: document root: not AA FI data",
        orjson.dumps({"fiData": [{"data": [{"encryptedFI": "abc"}]}]}):
            "fiData[0].data[0]: missing decryptedFI: decrypt encryptedFI before importing",
        orjson.dumps([V1_ACCOUNT | {"transactions": {}}] * 2): "[1]: duplicate account: linkedAccRef '123456789'",
        orjson.dumps({"type": "deposit", "transactions": {}}): "cannot identify the account",
        orjson.dumps({"account": {"linkedAccRef": "1", "transactions": {}}}): "account: missing type",
        orjson.dumps({"holders": 1, "Holders": 2, "type": "deposit"}): "keys 'holders' and 'Holders' both present",
    }
    for data, message in cases.items():
        with pytest.raises(AAImportError, match=re.escape(message)):
            parse_aa_document(data)


def test_unreadable_file(lake, tmp_path):
    with pytest.raises(AAImportError, match="cannot read .*missing.json"):
        import_aa(lake, CID, tmp_path / "missing.json")
    with pytest.raises(AAImportError, match="cannot read"):
        import_aa(lake, CID, tmp_path)


@pytest.mark.parametrize("bad_id", ["../etc", "CUST_MSM_1", "", "CUST_MSM_00001/../../x"])
def test_invalid_customer_id_is_refused_before_touching_disk(tmp_path, bad_id):
    lake = Lake(tmp_path / "lake")
    with pytest.raises(InvalidCustomerIdError):
        import_aa(lake, bad_id, tmp_path / "does-not-exist.json")
    assert [p for p in tmp_path.rglob("*") if p.is_dir()] == []


# ---- writing -------------------------------------------------------------------
def test_import_is_deterministic_and_replaces(samples, tmp_path):
    path = write(tmp_path, "webhook.json", sample(samples, "setu_fi_data_ready_webhook_deposit_v1.1.json"))
    files = []
    for name in ("a", "b"):
        lake = Lake(tmp_path / name)
        import_aa(lake, CID, path)
        first = [p.read_bytes() for p in (lake.raw_path(CID, "accounts"), lake.raw_path(CID, "transactions"),
                                         lake.customer_meta_path(CID))]
        import_aa(lake, CID, path)
        again = [p.read_bytes() for p in (lake.raw_path(CID, "accounts"), lake.raw_path(CID, "transactions"),
                                         lake.customer_meta_path(CID))]
        assert first == again
        files.append(first)
    assert files[0] == files[1]
    lake = Lake(tmp_path / "a")
    import_aa(lake, CID, write(tmp_path, "v1.json", V1_ACCOUNT | {"transactions": {"transaction": [V1_TRANSACTION]}}))
    assert raw(lake, "accounts") == [V1_ACCOUNT] and raw(lake, "transactions") == [V1_TRANSACTION]


def test_earlier_raw_sources_are_kept_with_a_warning(lake, tmp_path):
    lake.write_ndjson(lake.raw_path(CID, "gst_returns"), [{"gstin": "x"}])
    result = import_aa(lake, CID, write(tmp_path, "v1.json", V1_XML))
    assert result.warnings == [f"raw gst_returns of {CID} were not replaced and still hold earlier data"]
    assert raw(lake, "gst_returns") == [{"gstin": "x"}]


@settings(max_examples=200, deadline=None)
@given(cut=st.integers(min_value=0, max_value=len(V1_XML)), junk=st.binary(max_size=8))
def test_damaged_documents_raise_only_import_errors(cut, junk):
    for data in (V1_XML.encode()[:cut] + junk, orjson.dumps(V1_ACCOUNT | {"transactions": {}})[:cut] + junk):
        try:
            result = parse_aa_document(data)
        except AAImportError:
            continue
        assert isinstance(result, ImportResult) and result.accounts


_KEYS = st.sampled_from(["account", "Account", "fiData", "data", "decryptedFI", "type", "transactions", "transaction",
                         "profile", "Holders", "holder", "summary", "txnId", "amount", "linkedAccRef", "version",
                         "ckycRegistered", "fipID", "consentId"])
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 3) | st.sampled_from(["", " ", "deposit", "DEPOSIT", "x", "mutual_funds"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_KEYS, inner, max_size=6),
    max_leaves=40,
)


def _paths(node, prefix=()):
    yield prefix
    children = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, child in children:
        yield from _paths(child, prefix + (key,))


_VALID = fi_data_ready(V1_ACCOUNT | {"transactions": {"transaction": [V1_TRANSACTION, V1_TRANSACTION]}})


@st.composite
def _damaged(draw):
    """The valid FI_DATA_READY document with one subtree (or value) replaced by an arbitrary one."""
    doc = copy.deepcopy(_VALID)
    *parents, last = draw(st.sampled_from([p for p in _paths(doc) if p]))
    target = doc
    for key in parents:
        target = target[key]
    target[last] = draw(_JSON)
    return doc


@settings(max_examples=500, deadline=None)
@given(doc=_JSON | _damaged())
def test_arbitrary_json_raises_only_import_errors(doc):
    try:
        result = parse_aa_document(orjson.dumps(doc))
    except AAImportError as exc:
        assert str(exc).startswith("<input>")
        return
    assert result.accounts and all(a["type"] == "deposit" for a in result.accounts)
    assert all(t.keys() >= {"linkedAccRef", "txnId", "type", "amount"} for t in result.transactions)
