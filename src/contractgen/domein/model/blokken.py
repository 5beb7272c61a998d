"""Content blocks of a document (alinea, artikel with leden, tabel, eisen, tarieven, ...); one key per block decides its kind."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated, Any, Literal, Union

from pydantic import (
    BaseModel,
    Discriminator,
    Tag,
)

from contractgen.domein.model.basis import Bedrag, Id, Strikt, Tekst, Wijziging


class OpsommingItem(Strikt):
    label: Tekst | None = None
    tekst: Tekst = ""
    items: list[Item] = []


Item = Union[Tekst, OpsommingItem]


class Opsomming(Strikt):
    stijl: Literal["bullet", "streep", "label"] = "bullet"
    items: list[Item]


class Tabel(Strikt):
    kolommen: list[Tekst] = []
    rijen: list[list[Tekst]] = []


class Begrip(Strikt):
    begrip: Tekst
    definitie: Tekst


class Voetnoot(Strikt):
    nummer: Tekst
    tekst: Tekst


class Hoofdstuk(Strikt):
    id: Id
    nummer: Tekst
    titel: Tekst


class Versie(Strikt):
    """An article or lid may be amended within its document (DVO art. 22): each version says when it holds."""

    versie: Tekst | None = None
    geldig_van: date | None = None
    geldig_tot: date | None = None
    wijzigingen: list[Wijziging] = []

    def geldig_op(self, peildatum: date) -> bool:
        return (self.geldig_van is None or self.geldig_van <= peildatum) and \
            (self.geldig_tot is None or peildatum <= self.geldig_tot)

    def overlapt(self, ander: "Versie") -> bool:
        return (self.geldig_van or date.min) <= (ander.geldig_tot or date.max) and \
            (ander.geldig_van or date.min) <= (self.geldig_tot or date.max)


class Lid(Versie):
    id: Id
    nummer: Tekst
    tekst: Tekst = ""
    inhoud: list[Blok] = []


class Artikel(Versie):
    id: Id
    nummer: Tekst
    titel: Tekst = ""
    scheiding: Literal[":", " "] = ":"
    inhoud: list[Blok] = []
    leden: list[Lid] = []


class HandtekeningRef(Strikt):
    blok: Id
    titel: Tekst | None = None


class TarievenRef(Strikt):
    tarieven: Id
    groep: Id | None = None


class TransformatieRef(Strikt):
    tabel: Id


NvtRegel = Literal[
    "max-5-personen", "geen-wmo", "zzp", "geen-verblijf", "geen-dyslexie",
    "geen-regie", "geen-pleegzorg", "alleen-wmo",
]


class Eis(Strikt):
    id: Tekst
    nr: Tekst
    tekst: Tekst
    opsomming: list[Item] = []
    nvt: NvtRegel | None = None


class EisenGroep(Strikt):
    groep: Tekst
    titel: Tekst | None = None
    kolommen: list[Tekst] = ["Nr.", "Minimumeis", "Voldaan Ja/nee*"]
    eisen: list[Eis]


class Motivatie(Strikt):
    kolommen: list[Tekst] = ["Nummer van de eis", "Motivatie"]


class BijlageVermelding(Strikt):
    nummer: Tekst
    titel: Tekst
    document: Id | None = None


class Invoegen(Strikt):
    document: Id


class Indexatie(Strikt):
    percentage: Bedrag
    kolommen: list[int]
    label: Tekst
    afronding: Literal["euro", "cent"] = "euro"


class Totaal(Strikt):
    label: Tekst = "Totaal"
    bron: list[Tekst] = []  # the totals as the source prints them: printed as is, checked against the sum
    voetnoten: list[Tekst] = []  # footnote mark per column as the source prints it after the total ("²")


class Rekentabel(Strikt):
    """A table whose totals (and indexed column) are computed, not typed."""

    kolommen: list[Tekst]
    soorten: list[Literal["tekst", "bedrag", "getal"]]
    rijen: list[list[Tekst]]
    totaal: Totaal | None = None
    indexatie: Indexatie | None = None


class _Blok(Strikt):
    alleen_voor: list[Id] | None = None


class KopBlok(_Blok):
    kop: Tekst


class SubkopBlok(_Blok):
    subkop: Tekst


class AlineaBlok(_Blok):
    alinea: Tekst


class OpsommingBlok(_Blok):
    opsomming: Opsomming


class TabelBlok(_Blok):
    tabel: Tabel


class BegrippenBlok(_Blok):
    begrippen: list[Begrip]


class VoetnootBlok(_Blok):
    voetnoot: Voetnoot


class HoofdstukBlok(_Blok):
    hoofdstuk: Hoofdstuk


class ArtikelBlok(_Blok):
    artikel: Artikel


class HandtekeningBlok(_Blok):
    handtekening: HandtekeningRef


class ArrangementenBlok(_Blok):
    arrangementen: TarievenRef


class UurtarievenBlok(_Blok):
    uurtarieven: TarievenRef


class TransformatieBlok(_Blok):
    transformatie: TransformatieRef


class EisenBlok(_Blok):
    eisen: EisenGroep


class MotivatieBlok(_Blok):
    motivatie: Motivatie


class BijlagenlijstBlok(_Blok):
    bijlagenlijst: list[BijlageVermelding]


class InvoegenBlok(_Blok):
    invoegen: Invoegen


class RekentabelBlok(_Blok):
    rekentabel: Rekentabel


class PaginaEindeBlok(_Blok):
    pagina_einde: bool = True


BLOKSOORTEN: dict[str, type[_Blok]] = {
    "kop": KopBlok,
    "subkop": SubkopBlok,
    "alinea": AlineaBlok,
    "opsomming": OpsommingBlok,
    "tabel": TabelBlok,
    "begrippen": BegrippenBlok,
    "voetnoot": VoetnootBlok,
    "hoofdstuk": HoofdstukBlok,
    "artikel": ArtikelBlok,
    "handtekening": HandtekeningBlok,
    "arrangementen": ArrangementenBlok,
    "uurtarieven": UurtarievenBlok,
    "transformatie": TransformatieBlok,
    "eisen": EisenBlok,
    "motivatie": MotivatieBlok,
    "bijlagenlijst": BijlagenlijstBlok,
    "invoegen": InvoegenBlok,
    "rekentabel": RekentabelBlok,
    "pagina_einde": PaginaEindeBlok,
}


def blok_soort(waarde: Any) -> str | None:
    """The block kind is its one key besides `alleen_voor`."""
    if isinstance(waarde, BaseModel):
        return next(k for k, v in BLOKSOORTEN.items() if isinstance(waarde, v))
    if not isinstance(waarde, dict):
        return None
    sleutels = [k for k in waarde if k != "alleen_voor"]
    if len(sleutels) != 1:
        return None
    return sleutels[0] if sleutels[0] in BLOKSOORTEN else None


if TYPE_CHECKING:  # the same union, spelled out for the type checker
    Blok = Union[KopBlok, SubkopBlok, AlineaBlok, OpsommingBlok, TabelBlok, BegrippenBlok, VoetnootBlok,
                 HoofdstukBlok, ArtikelBlok, HandtekeningBlok, ArrangementenBlok, UurtarievenBlok,
                 TransformatieBlok, EisenBlok, MotivatieBlok, BijlagenlijstBlok, InvoegenBlok, RekentabelBlok,
                 PaginaEindeBlok]
else:
    Blok = Annotated[
        Union[tuple(Annotated[cls, Tag(naam)] for naam, cls in BLOKSOORTEN.items())],
        Discriminator(blok_soort),
    ]
