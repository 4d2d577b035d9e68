"""Years known only roughly (kontum_cp.periods): reading, showing and the counting rules at their boundaries."""
import pytest
from django.utils import translation

from kontum_cp.periods import PeriodError, YearRange, read_years, show_years


@pytest.mark.parametrize("text, earliest, latest", [
    ("2018", 2018, 2018),
    (" 2018 ", 2018, 2018),
    ("năm 2018", 2018, 2018),
    ("2016–2018", 2016, 2018),       # en dash, as the pages write it
    ("2016-2018", 2016, 2018),       # hyphen, as people type it
    ("2016 - 2018", 2016, 2018),
    ("2016—2018", 2016, 2018),
    ("2016 to 2018", 2016, 2018),
    ("2016 đến 2018", 2016, 2018),
    ("2018–2018", 2018, 2018),       # equal ends: an exact year
    ("≤ 2018", None, 2018),
    ("<=2018", None, 2018),
    ("by 2018", None, 2018),
    ("By 2018", None, 2018),
    ("đến 2018", None, 2018),
    ("đến năm 2018", None, 2018),
    ("≥ 2016", 2016, None),
    ("from 2016", 2016, None),
    ("từ năm 2016", 2016, None),
    ("", None, None),
    (None, None, None),
    ("1990", 1990, 1990),            # the bounds themselves are years
    ("2100", 2100, 2100),
])
def test_read_years(text, earliest, latest):
    assert read_years(text) == YearRange(earliest, latest)


@pytest.mark.parametrize("text", ["2018–2016", "1989", "2101", "1989–2000", "by 2101", "18", "2016–", "–2018",
                                  "2016/2018", "about 2018", "2018.5", "20 18"])
def test_unreadable_or_impossible_text_is_refused_with_a_message(text):
    with pytest.raises(PeriodError) as exc:
        read_years(text)
    assert str(exc.value.message)


def test_the_message_is_in_the_users_language():
    # The message is lazy: it reads in the language active where it is shown (here, inside the block).
    with translation.override("vi"):
        with pytest.raises(PeriodError) as exc:
            read_years("khoảng 2018")
        assert str(exc.value.message) != "Write a year (2018), a range (2016–2018), “by 2018” or “from 2016”."
        with pytest.raises(PeriodError) as exc:
            read_years("2018-2016")
        assert "2016" not in str(exc.value.message) and str(exc.value.message)
    with translation.override("en"):
        assert str(exc.value.message) == "The earliest year is after the latest year."


@pytest.mark.parametrize("period, en, vi", [
    (YearRange(2017, 2017), "2017", "2017"),
    (YearRange(2016, 2018), "2016–2018", "2016–2018"),
    (YearRange(None, 2018), "by 2018", "đến năm 2018"),
    (YearRange(2016, None), "from 2016", "từ năm 2016"),
    (YearRange(), "", ""),
])
def test_shown_back_the_way_it_is_known(period, en, vi):
    with translation.override("en"):
        assert show_years(period) == en
        assert read_years(show_years(period)) == period      # what is shown reads back the same
    with translation.override("vi"):
        assert show_years(period) == vi
        assert read_years(show_years(period)) == period


def test_exact_and_unknown():
    assert YearRange(2018, 2018).exact == 2018
    assert YearRange(2016, 2018).exact is None
    assert YearRange(None, 2018).exact is None
    assert YearRange().unknown and not YearRange(None, 2018).unknown


@pytest.mark.parametrize("period, year, counts", [
    (YearRange(2016, 2018), 2017, False),   # maybe not yet in 2017
    (YearRange(2016, 2018), 2018, True),    # latest possible year = Y: certainly happened
    (YearRange(2016, 2018), 2019, True),
    (YearRange(None, 2018), 2018, True),    # open start: the latest year decides
    (YearRange(None, 2018), 2017, False),
    (YearRange(2016, None), 2030, False),   # no upper bound: counts in no year
    (YearRange(), 2030, False),
    (YearRange(2018, 2018), 2018, True),
    (YearRange(2018, 2018), 2017, False),
])
def test_certainly_by_counts_from_the_latest_possible_year(period, year, counts):
    assert period.certainly_by(year) is counts


@pytest.mark.parametrize("period, inside", [
    (YearRange(2013, 2018), True),          # both ends on the window's bounds
    (YearRange(2012, 2018), False),         # starts before the window
    (YearRange(2013, 2019), False),         # may lie after the window
    (YearRange(2015, 2015), True),
    (YearRange(None, 2018), False),         # an open end may lie outside
    (YearRange(2014, None), False),
    (YearRange(), False),
])
def test_within_needs_the_whole_range_in_the_window(period, inside):
    assert period.within(2013, 2018) is inside
