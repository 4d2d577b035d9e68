"""The role checks of the establishment pages (from kontum_cp.access).

The optimistic-locking conflict table and re-binding are shared by every app: `kontum_cp.editing`.
"""
from kontum_cp.access import edit_required, read_only

__all__ = ["edit_required", "read_only"]
