# Vietnamese formats: the Department's dates (kontum_cp.formats.common), "." thousands and "," decimals.
from kontum_cp.formats.common import *  # noqa: F401,F403

DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
