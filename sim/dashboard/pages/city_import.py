"""The "Your city" page: import a city's areas from the browser, then explore it.

For a policymaker who does not use a terminal: drop (or choose) a GeoPackage, a
GeoJSON or a Shapefile (.shp with its .shx, .dbf and .prj, or a .zip of them), pick
the column naming the areas and, if the file has them, a deprivation and a
population column, a cell size and a name. **Import** runs the importer behind
``crimesim city import`` (:mod:`sim.dashboard.state.city_upload`) into
``out/cities/<name>/`` on the server and opens the city in Explore. A bad file or
field gets the importer's one-line message on the page, and nothing is left behind.
Cities imported before are listed with a button to open each.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import solara

from sim.dashboard.pages.navigation import request_scenario
from sim.dashboard.state.city_library import CITY_PREFIX, imported_cities
from sim.dashboard.state.city_upload import (
    AREA_EXTENSIONS,
    MAX_UPLOAD_BYTES,
    NAME_PATTERN,
    SHAPEFILE_SIDECARS,
    StagedUpload,
    import_staged,
    stage_upload,
)
from sim.errors import UsageError

#: The style of the page's one-line messages.
ERROR_STYLE = {"color": "#b00020"}
#: The choice meaning "no column".
NONE = "(none)"
#: What the upload widgets accept.
ACCEPT = ",".join((*AREA_EXTENSIONS, *SHAPEFILE_SIDECARS, ".zip"))


def suggested_name(path: Path) -> str:
    """A city name from the file's name (the characters a name may hold)."""
    stem = "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in path.stem)
    stem = stem.strip("-_.")[:64] or "city"
    return stem if NAME_PATTERN.fullmatch(stem) else "city"


@solara.component
def ImportForm(staged: StagedUpload, on_imported: Callable[[Path], None]) -> solara.Element:
    """The choices for one staged upload and the Import button.

    Args:
        staged: The uploaded file, with its layers and columns.
        on_imported: Called with the new city's scenario file.
    """
    layer, set_layer = solara.use_state(staged.layers[0])
    id_column, set_id = solara.use_state("")
    deprivation, set_deprivation = solara.use_state(NONE)
    higher_is_better, set_higher = solara.use_state(False)
    population, set_population = solara.use_state(NONE)
    size, set_size = solara.use_state("50")
    crs, set_crs = solara.use_state("")
    name, set_name = solara.use_state(suggested_name(staged.path))
    message, set_message = solara.use_state("")
    columns = staged.columns.get(layer, [])

    def run_import() -> None:
        try:
            scenario = import_staged(
                staged, name, id_column, layer=layer,
                deprivation_column="" if deprivation == NONE else deprivation,
                higher_is_better=higher_is_better,
                population_column="" if population == NONE else population,
                cell_size_text=size, crs=crs)
        except UsageError as exc:
            set_message(str(exc))
            return
        set_message("")
        on_imported(scenario)

    with solara.Column(gap="4px", style={"max-width": "36em"}) as main:
        solara.Text(f"File: {staged.path.name}")
        if len(staged.layers) > 1:
            solara.Select(label="layer", value=layer, values=staged.layers, on_value=set_layer)
        solara.Select(label="id column (names each area)", value=id_column or None,
                      values=columns, on_value=set_id)
        solara.Select(label="deprivation column (optional)", value=deprivation,
                      values=[NONE, *columns], on_value=set_deprivation)
        solara.Checkbox(label="higher is better (e.g. income): flip the deprivation rank",
                        value=higher_is_better, on_value=set_higher)
        solara.Select(label="population column (optional)", value=population,
                      values=[NONE, *columns], on_value=set_population)
        solara.InputText("cell size (m)", value=size, on_value=set_size,
                         message="side of a grid cell; 50 m as in the baseline")
        solara.InputText("CRS (only if the file has none, e.g. EPSG:27700)", value=crs,
                         on_value=set_crs)
        solara.InputText("city name", value=name, on_value=set_name,
                         message="the folder out/cities/<name> on the server")
        solara.Button("Import", icon_name="mdi-map-plus", color="primary",
                      on_click=run_import)
        if message:
            solara.Text(message, style=ERROR_STYLE, classes=["import-error"])
    return main


@solara.component
def CityImportPage(navigate: Callable[[str], None] | None = None) -> solara.Element:
    """Upload an areas file, import it, open it in Explore; or open an earlier city.

    Args:
        navigate: Called with Explore's path ("/") once a city is chosen; the served
            page passes the router's ``push``.
    """
    staged, set_staged = solara.use_state(None)  # type: ignore[arg-type]
    message, set_message = solara.use_state("")
    version, set_version = solara.use_state(0)
    cities = solara.use_memo(imported_cities, [version])

    def receive(files: list[tuple[str, bytes]]) -> None:
        if staged is not None:
            staged.discard()
        try:
            set_staged(stage_upload(files))
            set_message("")
        except UsageError as exc:
            set_staged(None)
            set_message(str(exc))

    def on_drop(infos: list[dict[str, Any]]) -> None:
        total = sum(int(info["size"]) for info in infos)
        if total > MAX_UPLOAD_BYTES:  # refuse before the browser sends the bytes
            if staged is not None:
                staged.discard()
            set_staged(None)
            set_message(f"the upload is {total / 2**20:.1f} MB; at most "
                        f"{MAX_UPLOAD_BYTES / 2**20:.1f} MB can be imported here "
                        "(use `crimesim city import` for a larger file)")
            return
        receive([(info["name"], info["file_obj"].read()) for info in infos])

    def on_chosen(value: Any) -> None:
        receive([(item["name"], bytes(item["content"])) for item in value])

    def open_city(scenario: Path) -> None:
        request_scenario(scenario)
        if navigate is not None:
            navigate("/")

    def imported(scenario: Path) -> None:
        if staged is not None:
            staged.discard()
        set_staged(None)
        set_version(version + 1)
        open_city(scenario)

    with solara.Columns([2, 1]) as main:
        with solara.Column(gap="8px"):
            solara.Markdown(
                "### Import your city\n"
                "Give the areas of your city -- neighbourhoods, census tracts or wards, "
                "one polygon each with a column naming them -- as a GeoPackage, a "
                "GeoJSON, or a Shapefile (its .shp, .shx, .dbf and .prj together, or a "
                f".zip of them); at most {MAX_UPLOAD_BYTES // 2**20} MB. The import is "
                "the one `crimesim city import` does; the city opens in Explore.")
            solara.FileDropMultiple(label="Drop the file(s) here", on_file=on_drop,
                                    lazy=True)
            widgets.FileUpload.element(accept=ACCEPT, multiple=True,
                                       description="Choose files", on_value=on_chosen)
            if message:
                solara.Text(message, style=ERROR_STYLE, classes=["import-error"])
            if staged is not None:
                ImportForm(staged, imported).key(str(staged.folder))
        with solara.Column(gap="4px"):
            solara.Markdown("### Cities imported here")
            if not cities:
                solara.Text("none yet")
            for label, scenario in cities.items():
                solara.Button(f"Open {label[len(CITY_PREFIX):]} in Explore",
                              icon_name="mdi-map", text=True,
                              on_click=lambda scenario=scenario: open_city(scenario))
    return main


@solara.component
def Page() -> solara.Element:
    """The "Your city" page as Solara serves it."""
    solara.Title("crimesim - Your city")
    router = solara.use_router()
    return CityImportPage(navigate=router.push)
