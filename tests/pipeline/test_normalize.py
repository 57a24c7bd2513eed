"""Every amount, date and timestamp the generator can write parses back to the same canonical value."""
from datetime import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generators.messiness import AMOUNT_FORMATS, DATE_FORMATS, format_amount, format_date, format_timestamp, indian_grouping
from pipeline.normalize import (IST, NormalizeError, parse_amount, parse_bool, parse_date, parse_decimal, parse_integer,
                                parse_timestamp)

amounts = st.decimals(min_value=-99_99_99_999, max_value=99_99_99_999, places=2, allow_nan=False, allow_infinity=False).map(float)
days = st.dates(min_value=datetime(2001, 1, 1).date(), max_value=datetime(2099, 12, 31).date())
moments = st.datetimes(min_value=datetime(2001, 1, 1), max_value=datetime(2099, 12, 31)).map(
    lambda d: d.replace(microsecond=0, tzinfo=IST))


@settings(max_examples=400, deadline=None)
@given(amounts, st.sampled_from(AMOUNT_FORMATS))
def test_amount_round_trips_in_every_format(value, fmt):
    rendered, kind = format_amount(value, fmt)
    parsed, parsed_kind = parse_amount(rendered)
    assert parsed == round(value, 2)
    assert parsed_kind == kind


@settings(max_examples=300, deadline=None)
@given(days, st.sampled_from(DATE_FORMATS))
def test_date_round_trips_in_every_format(day, fmt):
    rendered, kind = format_date(day.isoformat(), fmt)
    assert parse_date(rendered) == (day.isoformat(), kind)


@settings(max_examples=300, deadline=None)
@given(moments, st.sampled_from(DATE_FORMATS))
def test_timestamp_round_trips_in_every_format(moment, fmt):
    canonical = moment.isoformat()
    rendered, kind = format_timestamp(canonical, fmt)
    assert parse_timestamp(rendered) == (canonical, kind)


@pytest.mark.parametrize("text, expected", [
    ("1,23,45,678.50", 12345678.5), ("₹1,23,456.00", 123456.0), ("Rs. 99", 99.0), ("Rs.1,234.5", 1234.5),
    ("INR 1,234,567.00", 1234567.0), ("-₹2,500.00", -2500.0), ("₹-2,500.00", -2500.0), (" 42 ", 42.0), (1500, 1500.0),
])
def test_amount_formats_seen_in_real_feeds(text, expected):
    assert parse_amount(text)[0] == expected


@pytest.mark.parametrize("bad", ["", "abc", "1,2,3", "12.3.4", "₹", None, True, [], float("nan"),
                                 "--5", "-₹-5", "₹--5", "-Rs. -5", "--1,234"])
def test_amount_garbage_is_refused(bad):
    with pytest.raises(NormalizeError):
        parse_amount(bad)


def test_indian_grouping_places_lakhs_and_crores():
    assert indian_grouping(123456789.5) == "12,34,56,789.50"
    assert indian_grouping(1000) == "1,000.00"
    assert indian_grouping(-100000) == "-1,00,000.00"


@pytest.mark.parametrize("text, expected", [
    ("2021-04-01", "2021-04-01"), ("01/04/2021", "2021-04-01"), ("01-Apr-2021", "2021-04-01"),
    ("24-07-1970", "1970-07-24"), ("2020-05-09T11:05:29+00:00", "2020-05-09"),
])
def test_dates_from_aa_samples(text, expected):
    assert parse_date(text)[0] == expected


def test_timestamps_are_converted_to_ist_with_offset():
    assert parse_timestamp("2020-05-08T11:05:29+00:00") == ("2020-05-08T16:35:29+05:30", "timestamp_timezone")
    assert parse_timestamp("2023-07-25T11:27:01.069Z")[0] == "2023-07-25T16:57:01.069000+05:30"
    assert parse_timestamp("2021-04-01T13:20:14") == ("2021-04-01T13:20:14+05:30", "timestamp_naive")
    assert parse_timestamp("2021-04-01T13:20:14+05:30") == ("2021-04-01T13:20:14+05:30", None)


@pytest.mark.parametrize("bad", ["31/02/2024", "2024-13-01", "yesterday", 12, "00-Xyz-2020"])
def test_impossible_dates_are_refused(bad):
    with pytest.raises(NormalizeError):
        parse_date(bad)


def test_booleans_and_integers_from_strings():
    assert parse_bool("true") == (True, "boolean_from_string")
    assert parse_bool("NO") == (False, "boolean_from_string")
    assert parse_integer("742") == (742, "integer_from_string")
    with pytest.raises(NormalizeError):
        parse_bool("maybe")
    with pytest.raises(NormalizeError):
        parse_integer("7.5")


@settings(max_examples=300, deadline=None)
@given(st.floats(min_value=0, max_value=1e9, allow_nan=False, allow_infinity=False))
def test_fund_units_and_nav_round_trip_exactly(value):
    # the mess injector writes quantities as repr() strings; they must come back bit-for-bit, unrounded
    assert parse_decimal(repr(value)) == (value, "number_from_string")
    assert parse_decimal(value) == (value, None)
