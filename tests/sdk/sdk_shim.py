"""Makes the official Getui SDK (gt-push-sdk 4.1.1.2) importable on Python 3.10 and later.

The SDK bundles an old protobuf runtime that still imports abstract base classes from
`collections`; they moved to `collections.abc` in Python 3.3 and the aliases were removed
in 3.10. Import this module before anything from `gt_push_sdk`.
"""

import collections
import collections.abc

for _name in (
    "Mapping",
    "MutableMapping",
    "Sequence",
    "MutableSequence",
    "Iterable",
    "Callable",
    "MutableSet",
):
    if not hasattr(collections, _name):
        setattr(collections, _name, getattr(collections.abc, _name))
