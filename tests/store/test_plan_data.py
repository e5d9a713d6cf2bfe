"""The embedded plan is the whole document, verbatim."""

from collections import Counter
from datetime import date

from store.model import Section
from store.plan_data import embedded_plan, transcription


def test_section_i_has_every_mandate_of_each_group():
    plan = embedded_plan()
    per_group = Counter(o.group for o in plan.obligations if o.section is Section.MANDATES)
    assert per_group == {
        "I-1": 13, "I-2": 1, "I-3": 5, "I-4": 5, "I-5": 1, "I-6": 1, "I-7": 3, "I-8": 1,
    }  # fmt: skip
    numbers = [o.number for o in plan.obligations if o.group == "I-1"]
    assert numbers[0] == "1.i" and numbers[-1] == "1.xiii"
    assert [o.number for o in plan.obligations if o.group == "I-3"] == [
        "3", "3.i", "3.ii", "3.iii", "3.iv",
    ]  # fmt: skip


def test_section_ii_has_every_project_of_each_programme():
    plan = embedded_plan()
    per_programme = Counter(o.group for o in plan.obligations if o.section is Section.PROGRAMMES)
    assert per_programme == {
        "II-1.A": 3, "II-1.B": 5, "II-1.C": 1, "II-1.D": 2, "II-2.A": 3, "II-2.B": 2,
        "II-3.A": 3, "II-3.B": 3, "II-4.A": 2, "II-5.A": 1, "II-5.B": 1, "II-6._": 2,
    }  # fmt: skip
    sectors = [g for g in plan.reference.groups if g.section is Section.PROGRAMMES and not g.parent]
    assert len(sectors) == 6
    assert sum(1 for g in plan.reference.groups if g.section is Section.MANDATES) == 8


def test_texts_are_verbatim_with_accents_and_joined_across_pages():
    by_number = {o.number: o for o in embedded_plan().obligations}
    assert by_number["1.i"].text == (
        "Fournir un appui technique et administratif au titre des activités du CICTE."
    )
    assert by_number["1.xii"].text.endswith("sur les résultats de leur action.")
    assert by_number["1.vii"].schedule_text == (
        "Une fois par an, entre la session ordinaire du CICTE et la session ordinaire "
        "de l'Assemblée générale de l'OEA."
    )
    assert by_number["II-3.B.2"].text == (
        "Évaluation du projet pilote sur la sécurité du tourisme et des installations "
        "de loisirs dans les Amériques (ITRS)."
    )
    assert by_number["8.1"].schedule_text == "Ongoing"
    assert by_number["8.1"].text.startswith("[Renforcer la formation")


def test_activity_bullets_are_kept_as_a_list():
    by_number = {o.number: o for o in embedded_plan().obligations}
    assert by_number["1.iv"].activity_bulleted
    assert len(by_number["1.iv"].activity) == 4
    assert by_number["1.iv"].activity[3].startswith("Faire les arrangements nécessaires")


def test_programme_1d_projects_keep_their_own_calendars():
    by_number = {o.number: o for o in embedded_plan().obligations}
    assert by_number["II-1.D.1"].schedule_text == "Permanent : 2004-2008"
    assert by_number["II-1.D.2"].schedule_text == "Permanent : 2006-2007"


def test_groups_5_to_8_cite_their_documents():
    by_number = {o.number: o for o in embedded_plan().obligations}
    assert by_number["5.1"].sources == ("CICTE/DEC.1/07",)
    assert by_number["7.1"].sources == ("AG/RES. 2272 (XXXVII-O/07)",)
    assert by_number["7.3"].sources == ("AG/RES. 2004 (XXXIV-O/04)",)
    # Items of groups 1–4 are printed under their group's sources.
    assert "AG/RES. 2010 (XXXIV-O/04)" in by_number["1.iii"].sources[0]


def test_footnotes_and_the_items_citing_them():
    plan = embedded_plan()
    assert [f.number for f in plan.reference.footnotes] == [1, 2, 3, 4, 5, 6]
    by_number = {o.number: o for o in plan.obligations}
    assert by_number["1.v"].footnotes == (3, 4)
    assert by_number["8.1"].footnotes == (5,)
    footnote_4 = plan.reference.footnotes[3].text
    assert footnote_4.startswith("Étant donné que les PNC se réunissent habituellement")


def test_appendix_ii_bodies_and_absent_appendix_i():
    raw = transcription()
    appendix_i, appendix_ii = raw["appendices"]
    assert appendix_i["present"] is False
    parts = {part["letter"]: part["entries"] for part in appendix_ii["parts"]}
    assert len(parts["A"]) == 12 and len(parts["B"]) == 49
    partners = {p.key: p.name for p in embedded_plan().reference.partners}
    assert partners["B33"] == (
        "Secrétariat pro tempore de la Communauté sud-américaine des nations"
    )
    assert any("Appendix I" in note for note in embedded_plan().reference.appendix_notes)


def test_document_metadata():
    plan = embedded_plan().plan
    assert plan.symbol == "CICTE/RP/doc.2/07"
    assert plan.issued == date(2007, 10, 26)
    assert plan.meeting_date == date(2007, 11, 2)
    assert plan.original_language == "anglais"
    assert (plan.period_start, plan.period_end) == (date(2008, 1, 1), date(2008, 12, 31))
