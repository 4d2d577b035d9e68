# English formats as used by the Department: its dates (kontum_cp.formats.common), "," thousands.
from kontum_cp.formats.common import *  # noqa: F401,F403

DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
