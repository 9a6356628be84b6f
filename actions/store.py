"""One shop repository per database path, shared by all actions of the action server."""
from functools import lru_cache
from pathlib import Path

from actions.shop.repository import ShopRepository, default_db_path


@lru_cache(maxsize=4)
def _repository_for(path: Path) -> ShopRepository:
    return ShopRepository(path)


def shop_repository() -> ShopRepository:
    """The repository for `KEFU_SHOP_DB` (default var/shop.db), created on first use."""
    return _repository_for(default_db_path().resolve())
