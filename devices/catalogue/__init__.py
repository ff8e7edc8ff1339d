"""The device catalogue: quantity codes and, per family, the references of manual §9.6.2 with
their Modbus register maps. Data files (YAML) beside this module, loaded and validated once."""

from devices.catalogue.loader import Catalogue, CatalogueError, catalogue

__all__ = ["Catalogue", "CatalogueError", "catalogue"]
