"""The shortcuts of pipeline.fastparse give exactly what the parsers of pipeline.normalize give: value, repair kind,
or the same error, on the shapes they take and on every near miss (which they must hand to the parser)."""
import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.fastparse import amount_text, timestamp_value
from pipeline.normalize import parse_amount, parse_timestamp


def outcome(parse, value):
    """What a parser does with ``value``: its result (the float's repr too, so -0.0 differs from 0.0) or its error."""
    try:
        result = parse(value)
    except Exception as exc:  # noqa: BLE001 - the very exception (type and text) must be the same
        return "error", type(exc).__name__, str(exc)
    return "ok", result, repr(result[0]), type(result[0]).__name__


AMOUNT_TEXTS = [
    "250.00", "250", "-250.5", "0.00", "-0.00", "-0", "0.005", "0.015", "2.675", "12,345.675", "99999999999999.99",
    "9999999999999.99", "123456789012345678", "4,13,232.14", "-4,13,232.14", "1,23,45,67,890.12", "1,234", "0,123",
    "1,234,567.5", "12,34,567", "1,00", "1,000,00", "123,4567", "1,2,3", "Rs. 89.00", "Rs.89", "Rs. -1,000.00",
    "Rs. 1,23,456.785", "Rs  5", "rs. 5", "INR 5", "₹136.00", "₹1,136.00", "₹-1,000.5", "₹0.07", "₹ 5", "₹ -100",
    "-Rs. 5", "-₹5", "--5", "-₹-5", "₹--5", "-Rs. -5", "--1,234", "+5", "5.", ".5", "1e5", "  250.00", "250.00\n", "250.00 ", "१२३.४५", "١٢٣", "₹१२३", "",
    "abc", "Rs.", "₹", "₹-", "-",
]


@pytest.mark.parametrize("text", AMOUNT_TEXTS)
def test_amount_text_is_parse_amount(text):
    assert outcome(amount_text, text) == outcome(parse_amount, text)


@settings(max_examples=500, deadline=None)
@given(st.floats(min_value=-1e14, max_value=1e14, allow_nan=False), st.integers(0, 4),
       st.sampled_from(["", "₹", "Rs. ", "Rs.", "-", "₹-"]), st.booleans())
def test_amount_text_is_parse_amount_on_printed_amounts(value, decimals, prefix, grouped):
    text = prefix + (f"{value:,.{decimals}f}" if grouped else f"{value:.{decimals}f}")
    assert outcome(amount_text, text) == outcome(parse_amount, text)


def test_amount_text_is_parse_amount_on_random_texts():
    rng = random.Random(15)
    for _ in range(20_000):
        text = "".join(rng.choice("0123456789,.-₹Rs. 9१") for _ in range(rng.randint(1, 12)))
        assert outcome(amount_text, text) == outcome(parse_amount, text), text


STAMPS = [
    1698806993000, 1698806993123, 946684800000, 946684799999, 4102444800000, 4102444801000, 4102444799000, 0, -1,
    True, 1698806993000.0, "1698806993000", "01/11/2023 11:06:28", "01-Nov-2023 11:06:28", "29/02/2024 10:00:00",
    "29/02/2023 10:00:00", "1/2/2024 10:00:00", "01/02/2024 24:00:00", "01/02/2024 23:59:60", "01/02/2024 10:00",
    "01-nov-2023 10:00:00", "01-NOV-2023 10:00:00", "01-Xyz-2023 10:00:00", "01-Sept-2023 00:00:00",
    "1-Sep-2023 00:00:00", "01/13/2023 10:00:00", "00/01/2023 10:00:00", "01/01/0000 10:00:00", "01/01/0001 00:00:00",
    " 01/11/2023 11:06:28", "01/11/2023 11:06:28 ", "01/11/2023 11:06:28\n", "01/11/2023T11:06:28",
    "01/11/2023  11:06:28", "01.11.2023 11:06:28", "०१/११/२०२३ ११:०६:२८", "01/11/2023 ११:०६:२८", "01/11/2023 1:06:28",
    "01/11/2023 +1:06:28", "01/11/2023 11:-6:28", "01/11/2023 ab:cd:ef", "0a/11/2023 11:06:28", "01-N1v-2023 11:06:28",
    "31/12/2099 23:59:59", "2023-11-01T09:17:46+05:30", "2023-11-01T09:17:46Z", "2023-11-01 09:17:46", "", None, [],
]


@pytest.mark.parametrize("value", STAMPS)
def test_timestamp_value_is_parse_timestamp(value):
    assert outcome(timestamp_value, value) == outcome(parse_timestamp, value)


@settings(max_examples=500, deadline=None)
@given(st.integers(0, 40), st.sampled_from(["%02d", "Nov", "nov", "SEP", "Xyz"]), st.integers(0, 13),
       st.integers(0, 2200), st.integers(0, 25), st.integers(0, 61), st.integers(0, 61), st.sampled_from("/-"))
def test_timestamp_value_is_parse_timestamp_on_day_first_texts(day, month, number, year, hh, mm, ss, sep):
    text = f"{day:02d}{sep}{month % number if '%' in month else month}{sep}{year:04d} {hh:02d}:{mm:02d}:{ss:02d}"
    assert outcome(timestamp_value, text) == outcome(parse_timestamp, text)


@settings(max_examples=500, deadline=None)
@given(st.integers(900_000_000_000, 4_200_000_000_000), st.booleans())
def test_timestamp_value_is_parse_timestamp_on_epoch_milliseconds(millis, whole_seconds):
    value = millis - millis % 1000 if whole_seconds else millis
    assert outcome(timestamp_value, value) == outcome(parse_timestamp, value)


def test_floats_shown_in_paise_are_what_round_gives():
    """The normaliser's test for a canonical amount (pipeline.fastpath): m = v * 100 whole and m / 100 == v."""
    rng = random.Random(8)
    taken = 0
    for _ in range(200_000):
        value = rng.choice([rng.randint(-10**15, 10**15) / 100, rng.uniform(-1e14, 1e14),
                            math.nextafter(rng.randint(-10**13, 10**13) / 100, rng.choice([math.inf, -math.inf]))])
        m = value * 100
        if m.is_integer() and -1e15 < m < 1e15 and m / 100 == value:
            taken += 1
            assert repr(round(value, 2)) == repr(value)
    assert taken > 10_000
