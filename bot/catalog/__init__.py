"""Curated data shipped inside the package: the product catalog and the FAQ files.

Read through importlib.resources so an installed wheel finds them from any directory.
"""

from importlib.resources import files
from importlib.resources.abc import Traversable

CATALOG: Traversable = files(__name__)
PRODUCTS: Traversable = CATALOG / "products.toml"
FAQ: Traversable = CATALOG / "faq"
