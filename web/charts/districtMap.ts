/** Choropleth of the 22 districts on their real (OSM) boundaries. */
import type { DistrictGeoJson } from '../api/types.ts';
import { type Lang, localDigits } from '../lib/format.ts';
import { baseOption, type ChartOption, escapeHtml, isRtl, tooltipBase } from './base.ts';
import { SEQUENTIAL, valueRange } from './tileLayout.ts';

export const DISTRICT_MAP_NAME = 'tehran-districts';

/** ECharts matches regions by `properties.name`; ours carry the district number, so copy it there. */
export function prepareDistrictGeo(geo: DistrictGeoJson): DistrictGeoJson {
  return {
    ...geo,
    features: geo.features.map((f) => ({
      ...f,
      properties: { ...f.properties, name: String(f.properties.district) },
    })),
  };
}

export interface DistrictMapInput {
  values: ReadonlyMap<number, number | null>;
  districtName: (district: number) => string;
  metricLabel: string;
  format: (v: number | null) => string;
  lang: Lang;
}

/** cos(35.7°): Tehran's latitude, so a degree of longitude is drawn shorter than one of latitude. */
const TEHRAN_ASPECT = 0.81;

export function buildDistrictMapOption(input: DistrictMapInput): ChartOption {
  const { values, lang } = input;
  const { min, max } = valueRange(values.values());
  const data = [...values].map(([district, value]) => ({
    name: String(district),
    value: value ?? undefined,
  }));
  return {
    ...baseOption(),
    tooltip: {
      ...tooltipBase(lang),
      trigger: 'item',
      formatter: (p: { name: string; value?: number }) =>
        `${escapeHtml(input.districtName(Number(p.name)))}<br/>${escapeHtml(input.metricLabel)}: ${escapeHtml(
          input.format(p.value == null || Number.isNaN(p.value) ? null : p.value),
        )}`,
    },
    visualMap: {
      type: 'continuous',
      min,
      max: max > min ? max : min + 1,
      calculable: false,
      inRange: { color: SEQUENTIAL },
      orient: 'vertical',
      bottom: 8,
      ...(isRtl(lang) ? { right: 8 } : { left: 8 }),
      text: [input.format(max), input.format(min)],
      textStyle: { fontSize: 11 },
      formatter: (v: number) => input.format(v),
    },
    series: [
      {
        type: 'map',
        map: DISTRICT_MAP_NAME,
        aspectScale: TEHRAN_ASPECT,
        roam: false,
        selectedMode: false,
        layoutCenter: ['50%', '50%'],
        layoutSize: '95%',
        label: {
          show: true,
          fontSize: 11,
          color: '#1d2630',
          // a white halo keeps the number legible on the darkest blues too
          textBorderColor: '#ffffff',
          textBorderWidth: 2.5,
          formatter: (p: { name: string }) => localDigits(p.name, lang),
        },
        itemStyle: { borderColor: '#ffffff', borderWidth: 1, areaColor: '#e9ecef' },
        emphasis: { label: { show: true, fontWeight: 'bold' }, itemStyle: { areaColor: '#f4c542' } },
        data,
      },
    ],
  };
}
