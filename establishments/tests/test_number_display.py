"""The num/pct filters round (half up) rather than truncate, in the active language's format."""
from decimal import Decimal as D

from django.utils import translation

from kontum_cp.templatetags.portal import num, pct


def test_num_and_pct_round_half_up_with_vietnamese_separators():
    with translation.override("vi"):
        assert num(D("0.71987"), 3) == "0,720"
        assert num(D("1234.5"), 0) == "1.235"
        assert pct(D("-30.5556")) == "-30,6 %"
    with translation.override("en"):
        assert num(D("1100.55"), 1) == "1,100.6"
