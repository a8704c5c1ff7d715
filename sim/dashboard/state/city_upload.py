"""Import a city from files uploaded in the browser, as ``crimesim city import`` does.

A policymaker who does not use a terminal drops a GeoPackage, a GeoJSON or a
Shapefile (its .shp, .shx, .dbf and .prj together, or a .zip of them) on the page,
picks the id column (and optionally deprivation and population columns), a cell size
and a name, and gets the city the command would make, in ``out/cities/<name>/``
(:mod:`sim.dashboard.state.city_library`). This module does that with no Solara in it:

1. :func:`stage_upload` checks the upload's size and kind and writes it to a private
   temporary folder (a zip is unpacked there, file names only), then reads the file's
   layers and columns for the page's pickers;
2. :func:`import_staged` runs :func:`sim.geo.city_import.import_city`, which checks
   everything before writing and moves its folder into place only when complete.

Every problem is one line (the importer's own message, with its flags named as the
page's fields) and leaves nothing behind.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from sim.dashboard.state.city_library import cities_dir
from sim.errors import UsageError

#: Largest upload accepted, in bytes (all files together; a zip's content too). The
#: "Choose files" button sends its files in one websocket message, and the server
#: (uvicorn, under Solara) closes the connection on a message over 16 MiB.
MAX_UPLOAD_BYTES = 15 * 1024 * 1024
#: Extensions of a file holding the areas (what the importer reads).
AREA_EXTENSIONS = (".gpkg", ".geojson", ".json", ".shp", ".parquet", ".geoparquet", ".fgb")
#: Extensions accepted as the rest of a Shapefile.
SHAPEFILE_SIDECARS = (".shx", ".dbf", ".prj", ".cpg", ".qix", ".sbn", ".sbx")
#: A city's name: a folder name that is safe on every system.
NAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
#: The importer's flags as the page names its fields.
FIELD_NAMES = {
    "--id-column": "the id column", "--deprivation-column": "the deprivation column",
    "--population-column": "the population column", "--higher-is-better":
    "'higher is better'", "--cell-size-m": "a cell size of", "--crs": "the CRS field",
    "--layer": "the layer choice",
}


@dataclass
class StagedUpload:
    """An upload written to a temporary folder, with what the page offers to pick.

    Attributes:
        folder: The private temporary folder holding the files.
        path: The areas file in it.
        layers: The file's layers (one for most formats).
        columns: Per layer, the columns other than the geometry.
    """

    folder: Path
    path: Path
    layers: list[str]
    columns: dict[str, list[str]] = field(default_factory=dict)

    def discard(self) -> None:
        """Delete the temporary folder."""
        shutil.rmtree(self.folder, ignore_errors=True)


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def _too_big(size: int, what: str) -> UsageError:
    return UsageError(f"{what} is {_mb(size)}; at most {_mb(MAX_UPLOAD_BYTES)} can be imported "
                      "here (use `crimesim city import` for a larger file)")


def _unzip(archive: Path, folder: Path) -> None:
    """Unpack the area files of ``archive`` into ``folder``, by file name only."""
    try:
        with zipfile.ZipFile(archive) as zipped:
            members = [m for m in zipped.infolist() if not m.is_dir()
                       and not Path(m.filename).name.startswith(".")
                       and Path(m.filename).suffix.lower() in (*AREA_EXTENSIONS,
                                                               *SHAPEFILE_SIDECARS)]
            size = sum(m.file_size for m in members)
            if size > MAX_UPLOAD_BYTES:
                raise _too_big(size, f"{archive.name} unpacked")
            for member in members:
                target = folder / Path(member.filename).name
                if target.exists():
                    raise UsageError(f"{archive.name}: holds two files named {target.name}")
                with zipped.open(member) as source, target.open("wb") as out:
                    shutil.copyfileobj(source, out)
    except zipfile.BadZipFile:
        raise UsageError(f"{archive.name}: not a readable zip file") from None
    archive.unlink()


def _areas_file(folder: Path, names: list[str]) -> Path:
    """The one areas file among the upload's files (a Shapefile with its parts)."""
    found = sorted(p for p in folder.iterdir() if p.suffix.lower() in AREA_EXTENSIONS)
    if not found:
        raise UsageError(f"{', '.join(names)}: no areas file (expected one of "
                         f"{', '.join(AREA_EXTENSIONS)}, or a .zip of a Shapefile)")
    if len(found) > 1:
        raise UsageError(f"the upload holds {len(found)} areas files "
                         f"({', '.join(p.name for p in found)}); import one at a time")
    path = found[0]
    if path.suffix.lower() == ".shp":
        missing = [ext for ext in (".shx", ".dbf")
                   if not any(p.name.lower() == path.with_suffix(ext).name.lower()
                              for p in folder.iterdir())]
        if missing:
            raise UsageError(f"{path.name}: a Shapefile needs its {' and '.join(missing)} "
                             "file(s) too; drop them together, or a .zip of them")
    return path


def stage_upload(files: list[tuple[str, bytes]], root: Path | None = None) -> StagedUpload:
    """Write uploaded files to a new temporary folder and read their layers and columns.

    Args:
        files: ``(file name, content)`` per uploaded file.
        root: Where the temporary folder goes (default: the system's).

    Raises:
        UsageError: Nothing uploaded, too large, not an areas file, a Shapefile
            without its parts, an unreadable file; the temporary folder is removed.
    """
    if not files:
        raise UsageError("no file received")
    size = sum(len(data) for _, data in files)
    if size > MAX_UPLOAD_BYTES:
        raise _too_big(size, "the upload")
    folder = Path(tempfile.mkdtemp(prefix="crimesim-upload-", dir=root))
    try:
        names = []
        for name, data in files:
            base = Path(name.replace("\\", "/")).name
            if not base or base.startswith("."):
                raise UsageError(f"{name!r}: not a file name")
            names.append(base)
            (folder / base).write_bytes(data)
        for archive in [folder / n for n in names if n.lower().endswith(".zip")]:
            _unzip(archive, folder)
        path = _areas_file(folder, names)
        staged = StagedUpload(folder, path, _layers_of(path))
        for layer in staged.layers:
            staged.columns[layer] = _columns_of(path, layer, len(staged.layers) > 1)
        return staged
    except UsageError as exc:
        shutil.rmtree(folder, ignore_errors=True)
        raise UsageError(page_message(str(exc), folder)) from None
    except Exception as exc:  # never a traceback in the page
        shutil.rmtree(folder, ignore_errors=True)
        raise UsageError(f"could not read the upload ({type(exc).__name__}: "
                         f"{page_message(str(exc), folder)})") from None


def _layers_of(path: Path) -> list[str]:
    from sim.geo.areas import PARQUET, _layers

    return [""] if path.suffix.lower() in PARQUET else _layers(path)


def _columns_of(path: Path, layer: str, several: bool) -> list[str]:
    from sim.geo.areas import read_areas

    gdf = read_areas(path, layer if several else None)
    return [str(c) for c in gdf.columns if c != gdf.geometry.name]


def page_message(message: str, folder: Path) -> str:
    """An importer message as the page shows it: file names, not temporary paths."""
    text = message.replace(f"{folder}/", "").replace(str(folder), "the upload")
    for flag, name in FIELD_NAMES.items():
        text = re.sub(rf"{re.escape(flag)}(?![\w-])", name, text)
    return text.splitlines()[0] if text else text


def city_name(text: str, folder: Path | None = None) -> str:
    """Check a new city's name: a safe folder name not taken yet in ``folder``."""
    name = text.strip()
    if not NAME_PATTERN.fullmatch(name):
        raise UsageError(f"city name {name!r}: use 1-64 letters, digits, '-', '_' or '.', "
                         "starting with a letter or digit")
    folder = cities_dir() if folder is None else folder
    if (folder / name).exists():
        raise UsageError(f"city name {name!r}: a city of that name exists already; "
                         "choose another")
    return name


def cell_size(text: str) -> float:
    """The cell size in metres from what the user typed (a number > 0)."""
    try:
        value = float(str(text).strip())
    except ValueError:
        raise UsageError(f"cell size: expected metres as a number, got {text!r}") from None
    if not value > 0 or value == float("inf"):
        raise UsageError(f"cell size: expected metres > 0, got {text!r}")
    return value


def import_staged(staged: StagedUpload, name: str, id_column: str, *, layer: str = "",
                  deprivation_column: str = "", higher_is_better: bool = False,
                  population_column: str = "", cell_size_text: str = "50", crs: str = "",
                  folder: Path | None = None) -> Path:
    """Import the staged areas as ``<cities folder>/<name>``; returns its scenario file.

    The staged files are kept (the user may fix a field and try again) until
    :meth:`StagedUpload.discard`.

    Raises:
        UsageError: A bad name, field or file, as the page shows it; nothing is
            left in the cities folder.
    """
    from sim.geo.city_import import import_city

    folder = cities_dir() if folder is None else folder
    try:
        if not id_column:
            raise UsageError("choose the id column: the column that names each area")
        checked = city_name(name, folder)
        size = cell_size(cell_size_text)
        several = len(staged.layers) > 1
        result = import_city(
            staged.path, id_column, folder / checked,
            layer=layer or None if several else None,
            deprivation_column=deprivation_column or None,
            higher_is_better=higher_is_better and bool(deprivation_column),
            population_column=population_column or None, cell_size_m=size,
            crs=crs.strip() or None)
    except UsageError as exc:
        raise UsageError(page_message(str(exc), staged.folder)) from None
    except Exception as exc:  # never a traceback in the page
        raise UsageError(f"the import failed ({type(exc).__name__}: "
                         f"{page_message(str(exc), staged.folder)})") from None
    return result.out / "scenario.toml"
