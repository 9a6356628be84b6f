"""Which catalogue product a message names: "手表现在卖多少钱" names 智能手表, "空气炸锅呢" 空气炸锅.

Shared by the product answers (actions/product_info.py) and the return triage (actions/returns.py).
"""
from typing import List, Optional

from actions.shop.repository import ProductInfo

MIN_NAME_TAIL = 2


def product_named_in(text: str, catalogue: List[ProductInfo]) -> Optional[ProductInfo]:
    """The catalogue product the message names: its full name, else the end of its name (耳机 for
    蓝牙耳机, 手表 for 智能手表: a Chinese noun's head is its last characters); longest match wins."""
    best: tuple[int, Optional[ProductInfo]] = (0, None)
    for product in catalogue:
        name = product.name
        for start in range(0, len(name) - MIN_NAME_TAIL + 1):
            tail = name[start:]
            if tail in text and len(tail) > best[0]:
                best = (len(tail), product)
                break
    return best[1]
