"""NewsML 1.x (AFP profile): identifiers, revisions, statuses, embargo, several NewsItems."""

from __future__ import annotations

from datetime import datetime

from extractors.agency import read_agency, sniff_agency


def _item(item_id: str, revision: int, status: str, extra: str = "") -> str:
    return f"""<NewsItem xml:lang="fr">
 <Identification><NewsIdentifier>
  <ProviderId>afp.com</ProviderId><DateId>20220110T080000Z</DateId><NewsItemId>{item_id}</NewsItemId>
  <RevisionId PreviousRevision="{revision - 1}" Update="N">{revision}</RevisionId>
  <PublicIdentifier>urn:newsml:afp.com:20220110T080000Z:{item_id}:{revision}</PublicIdentifier>
 </NewsIdentifier></Identification>
 <NewsManagement>
  <ThisRevisionCreated>20220110T093000+0100</ThisRevisionCreated>
  <Status FormalName="{status}"/><Urgency FormalName="2"/>{extra}
 </NewsManagement>
 <NewsComponent>
  <NewsLines><DateLine>PARIS, 10 janv 2022 (AFP) -</DateLine><HeadLine>Titre {item_id}</HeadLine>
   <ByLine>Par Marie CURIE</ByLine><SlugLine>France-sante</SlugLine></NewsLines>
  <AdministrativeMetadata><Provider><Party FormalName="AFP"/></Provider></AdministrativeMetadata>
  <DescriptiveMetadata><Language FormalName="fr"/>
   <SubjectCode><Subject FormalName="07000000"/></SubjectCode>
   <Location HowPresent="Origin"><Property FormalName="City" Value="Paris"/></Location>
   <Property FormalName="Keyword" Value="santé"/></DescriptiveMetadata>
  <NewsComponent><ContentItem><MediaType FormalName="Photo"/><DataContent>binary</DataContent></ContentItem>
  <ContentItem><MediaType FormalName="Text"/><DataContent><nitf><body><body.content>
   <p>Le gouvernement a annoncé lundi de nouvelles mesures.</p><p>Elles entrent en vigueur mardi.</p>
   <p>abc/def</p></body.content></body></nitf></DataContent></ContentItem></NewsComponent>
 </NewsComponent>
</NewsItem>"""


def _doc(*items: str) -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<NewsML Version="1.2"><NewsEnvelope><DateAndTime>20220110T083000Z</DateAndTime>
<Priority FormalName="4"/></NewsEnvelope>{''.join(items)}</NewsML>""".encode()


def test_afp_newsml_fields() -> None:
    data = _doc(_item("TX-1", 2, "Usable"))
    assert sniff_agency(data) == "afp-newsml"
    [story] = read_agency(data, "in/afp")
    assert story.source_kind == "afp-newsml"
    assert story.guid == "urn:newsml:afp.com:20220110T080000Z:TX-1"
    assert story.version == 2
    assert story.pub_status == "usable"
    assert story.published_at == datetime(2022, 1, 10, 8, 30)
    assert story.urgency == 2
    assert story.agency == "AFP"
    assert story.byline == "Marie Curie"
    assert story.dateline == "PARIS, 10 janv 2022 (AFP)"
    assert story.located == "Paris"
    assert story.language == "fr"
    assert story.subjects == ["subj:07000000"]
    assert story.keywords == ["santé"]
    assert story.body == "Le gouvernement a annoncé lundi de nouvelles mesures.\n\nElles entrent en vigueur mardi."


def test_several_items_statuses_and_embargo() -> None:
    embargo = """<StatusWillChange><FutureStatus FormalName="Usable"/>
      <DateAndTimeOfChange>20220111T060000Z</DateAndTimeOfChange></StatusWillChange>"""
    data = _doc(_item("TX-1", 1, "Usable"), _item("TX-2", 3, "Canceled"), _item("TX-3", 1, "Embargoed", embargo),
                _item("TX-4", 1, "Withheld"))
    stories = read_agency(data, "in/multi")
    assert [s.part for s in stories] == [0, 1, 2, 3]
    assert [s.pub_status for s in stories] == ["usable", "canceled", "usable", "withheld"]
    assert stories[2].embargoed_until == datetime(2022, 1, 11, 6, 0)
    assert stories[1].version == 3
    # Same story, two revisions: same guid, different versions.
    again = read_agency(_doc(_item("TX-1", 4, "Usable")), "in/rev")[0]
    assert again.guid == stories[0].guid and again.version == 4
