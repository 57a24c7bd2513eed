"""``demo-tokens`` prints the same demo tokens on every start, kept 0600 in the lake, until revoked or renewed."""
import stat

from api_panel.auth import ROLES, TokenStore
from api_panel.demo_tokens import demo_tokens
from pipeline.lake import Lake


def test_demo_tokens_are_kept_working_and_private(tmp_path):
    lake = Lake(tmp_path)
    first = demo_tokens(lake, TokenStore(lake))
    assert [(role, kept) for role, _, kept in first] == [(role, False) for role in ROLES]
    assert stat.S_IMODE(lake.demo_tokens_path.stat().st_mode) == 0o600
    again = demo_tokens(lake, TokenStore(lake))
    assert again == [(role, token, True) for role, token, _ in first]
    store = TokenStore(lake)
    assert [store.resolve(token).role for _, token, _ in again] == list(ROLES)


def test_a_revoked_demo_token_is_replaced_and_new_replaces_all(tmp_path):
    lake = Lake(tmp_path)
    first = dict((role, token) for role, token, _ in demo_tokens(lake, TokenStore(lake)))
    rows = lake.read_json(lake.token_store_path)
    lake.write_json(lake.token_store_path, [r for r in rows if r["label"] != "demo-admin"])   # revoked
    second = {role: (token, kept) for role, token, kept in demo_tokens(lake, TokenStore(lake))}
    assert second["admin"][1] is False and second["admin"][0] != first["admin"]
    assert second["officer"] == (first["officer"], True)
    renewed = demo_tokens(lake, TokenStore(lake), renew=True)
    assert all(not kept and token != first[role] for role, token, kept in renewed)
    assert TokenStore(lake).resolve(first["officer"]) is None   # the old demo token no longer works
