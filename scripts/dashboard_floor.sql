-- The floor of the dashboard benchmark (scripts/bench_dashboard.py): the eight figures of shared DOMAIN.md for
-- every year from %(first)s to %(last)s of one plan, in one plain statement for PostgreSQL, written by hand and
-- apart from the engine's SQL (indicators/figures.py) so that the benchmark's comparison of values checks one
-- against the other. Parameters: first, last (years), start (the plan's start year), places (the ids of the
-- places inside the plan's territory, an integer array; NULL for a plan without a territory).
-- One row per year: year, cp_adoption, energy_intensity_reduction, material_intensity_reduction,
-- establishments_disseminated, gov_staff_disseminated, cp_staff_trained, technical_staff_trained,
-- establishments_assisted (NULL where the records give no value).
WITH years AS (SELECT generate_series(%(first)s::int, %(last)s::int) AS y),
est AS (  -- the plan's establishments with CP potential
    SELECT e.id, e.established_year, e.closed_year, e.technical_staff, e.baseline_year
    FROM establishments_establishment e
    WHERE e.cp_potential AND (%(places)s::int[] IS NULL OR e.place_id = ANY(%(places)s::int[]))),
pot AS (  -- POT(Y)
    SELECT years.y, est.* FROM years JOIN est
        ON (est.established_year IS NULL OR est.established_year <= years.y)
       AND (est.closed_year IS NULL OR est.closed_year > years.y)),
counting AS (  -- per establishment: first year a measure counts, earliest possible year of those measures
    SELECT m.establishment_id AS id, MIN(COALESCE(m.year, m.year_latest)) AS counts_from,
           MIN(COALESCE(m.year, m.year_earliest)) FILTER (WHERE COALESCE(m.year, m.year_latest) IS NOT NULL)
               AS earliest
    FROM establishments_cpmeasure m
    WHERE m.status = 'implemented' AND m.category <> 'end_of_pipe'
    GROUP BY m.establishment_id),
adopters AS (  -- A(Y) with each adopter's baseline year
    SELECT pot.y, pot.id, COALESCE(pot.baseline_year, c.earliest - 1) AS base
    FROM pot JOIN counting c ON c.id = pot.id AND c.counts_from <= pot.y),
person_first AS (  -- per person of the territory (or of no establishment): first event, first completed course
    SELECT p.id, p.category, p.establishment_id,
           EXTRACT(YEAR FROM MIN(ev.start_date))::int AS first_any,
           EXTRACT(YEAR FROM MIN(ev.start_date) FILTER (WHERE a.completed AND ev.kind = 'training_course'))::int
               AS first_trained
    FROM training_attendance a
    JOIN training_person p ON p.id = a.person_id
    JOIN training_event ev ON ev.id = a.event_id
    WHERE %(places)s::int[] IS NULL OR p.establishment_id IS NULL
       OR p.establishment_id IN (SELECT x.id FROM establishments_establishment x
                                 WHERE x.place_id = ANY(%(places)s::int[]))
    GROUP BY p.id, p.category, p.establishment_id),
report_intensity AS (  -- energy and material use per unit of product of the reports of possible adopters
    SELECT r.id, r.establishment_id, r.year, r.product_unit,
           CASE WHEN COUNT(*) FILTER (WHERE t.category = 'energy') > 0 AND r.output > 0
                THEN SUM(l.quantity * t.factor) FILTER (WHERE t.category = 'energy')::float8 / r.output::float8
           END AS energy,
           CASE WHEN COUNT(*) FILTER (WHERE t.category = 'material') > 0 AND r.output > 0
                THEN SUM(l.quantity * t.factor) FILTER (WHERE t.category = 'material')::float8 / r.output::float8
           END AS material
    FROM indicators_annualreport r
    LEFT JOIN indicators_resourceline l ON l.report_id = r.id
    LEFT JOIN indicators_resourcetype t ON t.id = l.resource_type_id
    WHERE r.establishment_id IN (SELECT c.id FROM counting c JOIN est ON est.id = c.id
                                 WHERE c.counts_from IS NOT NULL)
    GROUP BY r.id),
compared AS (  -- each adopter's latest report t with baseline < t <= Y
    SELECT a.y, a.id, a.base,
           (SELECT MAX(r.year) FROM indicators_annualreport r
            WHERE r.establishment_id = a.id AND r.year > a.base AND r.year <= a.y) AS t
    FROM adopters a),
reductions AS (
    SELECT c.y,
           CASE WHEN b.product_unit = cur.product_unit AND b.energy > 0 AND cur.energy IS NOT NULL
                THEN (1 - cur.energy / b.energy) * 100 END AS energy,
           CASE WHEN b.product_unit = cur.product_unit AND b.material > 0 AND cur.material IS NOT NULL
                THEN (1 - cur.material / b.material) * 100 END AS material
    FROM compared c
    JOIN report_intensity cur ON cur.establishment_id = c.id AND cur.year = c.t
    JOIN report_intensity b ON b.establishment_id = c.id AND b.year = c.base),
assisted AS (  -- per establishment: the first year Y whose window start..Y holds a whole record
    SELECT a.establishment_id AS id, MIN(COALESCE(a.year, a.date_latest)) AS from_year
    FROM establishments_assistancerecord a
    JOIN establishments_establishment e ON e.id = a.establishment_id
    WHERE COALESCE(a.year, a.date_earliest) >= %(start)s AND COALESCE(a.year, a.date_latest) IS NOT NULL
      AND (%(places)s::int[] IS NULL OR e.place_id = ANY(%(places)s::int[]))
    GROUP BY a.establishment_id),
per_year AS (
    SELECT pot.y, COUNT(*) AS potential, SUM(COALESCE(pot.technical_staff, 0)) AS staff,
           COUNT(*) FILTER (WHERE c.counts_from <= pot.y) AS adopters,
           COUNT(*) FILTER (WHERE r.first_any <= pot.y) AS reached
    FROM pot
    LEFT JOIN counting c ON c.id = pot.id
    LEFT JOIN (SELECT establishment_id, MIN(first_any) AS first_any FROM person_first GROUP BY 1) r
        ON r.establishment_id = pot.id
    GROUP BY pot.y),
people_per_year AS (
    SELECT years.y, COUNT(*) AS attended,
           COUNT(*) FILTER (WHERE pf.category = 'gov_staff') AS gov,
           COUNT(*) FILTER (WHERE pf.category = 'cp_staff' AND pf.first_trained <= years.y) AS cp
    FROM years JOIN person_first pf ON pf.first_any <= years.y
    GROUP BY years.y),
technical_per_year AS (
    SELECT pot.y, COUNT(*) AS trained
    FROM pot JOIN person_first pf ON pf.establishment_id = pot.id
    WHERE pf.category = 'technical_staff' AND pf.first_trained <= pot.y
    GROUP BY pot.y),
reductions_per_year AS (SELECT y, AVG(energy) AS energy, AVG(material) AS material FROM reductions GROUP BY y),
assisted_per_year AS (
    SELECT years.y, COUNT(*) AS n FROM years JOIN assisted ON assisted.from_year <= years.y GROUP BY years.y),
headcount AS (  -- the headcount for Y: Y's, else the latest earlier one
    SELECT years.y,
           (SELECT h.headcount FROM training_staffheadcount h WHERE h.category = 'gov_staff' AND h.year <= years.y
            ORDER BY h.year DESC LIMIT 1) AS gov,
           (SELECT h.headcount FROM training_staffheadcount h WHERE h.category = 'cp_staff' AND h.year <= years.y
            ORDER BY h.year DESC LIMIT 1) AS cp
    FROM years)
SELECT years.y,
       100.0 * py.adopters / NULLIF(py.potential, 0),
       rd.energy,
       rd.material,
       CASE WHEN pp.attended > 0 THEN 100.0 * py.reached / NULLIF(py.potential, 0) END,
       CASE WHEN pp.attended > 0 THEN 100.0 * pp.gov / NULLIF(hc.gov, 0) END,
       CASE WHEN pp.attended > 0 THEN 100.0 * pp.cp / NULLIF(hc.cp, 0) END,
       CASE WHEN pp.attended > 0 THEN 100.0 * COALESCE(tp.trained, 0) / NULLIF(py.staff, 0) END,
       ap.n
FROM years
LEFT JOIN per_year py ON py.y = years.y
LEFT JOIN people_per_year pp ON pp.y = years.y
LEFT JOIN technical_per_year tp ON tp.y = years.y
LEFT JOIN reductions_per_year rd ON rd.y = years.y
LEFT JOIN assisted_per_year ap ON ap.y = years.y
JOIN headcount hc ON hc.y = years.y
ORDER BY years.y
