#!/usr/bin/env python3
"""Builds the held-out catalog (catalog.yml + catalog.csv) and the question set (heldout-set.json).

Deterministic; run: python3 build.py
Relevance is judged from the catalog's own attributes (catalog_data.py), never from any search output.
Grades: 2 = what was asked, 1 = acceptable neighbour.
"""
import csv
import json
import os
from xml.sax.saxutils import escape, quoteattr

from catalog_data import CATEGORIES, OFFERS, BASE_URL, SHOP, cat_path, CAT_NAME

HERE = os.path.dirname(os.path.abspath(__file__))


# ---------------------------------------------------------------------------------------------- feed
def write_yml(path):
    L = ['<?xml version="1.0" encoding="UTF-8"?>', '<yml_catalog date="2024-09-02 09:00">', '  <shop>',
         f'    <name>{escape(SHOP)}</name>', f'    <company>ООО «{escape(SHOP)}»</company>',
         '    <url>https://promreklama.example</url>', '    <currencies>', '      <currency id="RUB" rate="1"/>',
         '    </currencies>', '    <categories>']
    for cid, parent, name in CATEGORIES:
        pa = f' parentId="{parent}"' if parent else ''
        L.append(f'      <category id="{cid}"{pa}>{escape(name)}</category>')
    L += ['    </categories>', '    <offers>']
    for o in OFFERS:
        L.append(f'    <offer id={quoteattr(o["id"])} available="{"true" if o["avail"] else "false"}">')
        L.append(f'      <url>{BASE_URL}{o["id"]}/</url>')
        L.append(f'      <price>{o["price"]}</price>')
        L.append('      <currencyId>RUB</currencyId>')
        L.append(f'      <categoryId>{o["cat"]}</categoryId>')
        if o.get('vendor'):
            L.append(f'      <vendor>{escape(o["vendor"])}</vendor>')
        if o.get('model'):
            L.append(f'      <model>{escape(o["model"])}</model>')
        L.append(f'      <name>{escape(o["name"])}</name>')
        L.append(f'      <description>{escape(o["desc"])}</description>')
        for p in o['params']:
            unit = f' unit={quoteattr(p[2])}' if len(p) > 2 and p[2] else ''
            L.append(f'      <param name={quoteattr(p[0])}{unit}>{escape(str(p[1]))}</param>')
        L.append('    </offer>')
    L += ['    </offers>', '  </shop>', '</yml_catalog>', '']
    with open(path, 'w', encoding='utf-8') as f:
        f.write('\n'.join(L))


def write_csv(path):
    with open(path, 'w', encoding='utf-8', newline='') as f:
        w = csv.writer(f, delimiter=';', lineterminator='\n')
        w.writerow(['id', 'name', 'url', 'price', 'category', 'available', 'description'])
        for o in OFFERS:
            w.writerow([o['id'], o['name'], f'{BASE_URL}{o["id"]}/', o['price'], CAT_NAME[o['cat']],
                        'да' if o['avail'] else 'нет', o['desc'].replace(';', ',')])


# ---------------------------------------------------------------------------------------------- helpers
def g(exact, near=False):
    return 2 if exact else (1 if near else 0)


def fam(o, *fs):
    return o.get('fam') in fs


def a(o, key, *vals):
    return o.get(key) in vals


FILMS = ('film_cut', 'film_print', 'film_translucent', 'film_reflective', 'film_magnetic', 'film_frosted', 'film_perforated')
BANNERS = ('banner_frontlit', 'banner_cast', 'banner_backlit', 'banner_blockout', 'banner_mesh')
PRINTERS = ('printer_eco', 'printer_uv', 'printer_latex')
INKS = ('ink_eco', 'ink_uv', 'ink_latex')
SHEETS = ('pvc', 'acrylic', 'acrylic_mirror', 'pc_cell', 'pc_mono', 'acp', 'foamboard', 'hips', 'petg')
P = lambda o: o['price']
V = lambda o: o.get('vendor') or ''


def sheet(o, a_, b_):
    s = o.get('sheet')
    return s is not None and sorted(s) == sorted((a_, b_))


# ---------------------------------------------------------------------------------------------- questions
Q = []


def q(text, cls, judge):
    Q.append((text, cls, judge))


# --- size
q('пвх 5мм', 'size', lambda o: g(fam(o, 'pvc') and o['th'] == 5))
q('ПВХ белый 0,3 см', 'size', lambda o: g(fam(o, 'pvc') and o['th'] == 3 and o['cfam'] == 'white', fam(o, 'pvc') and o['th'] == 3))
q('лист вспененного пвх 1560x3050', 'size', lambda o: g(fam(o, 'pvc') and sheet(o, 1560, 3050)))
q('оргстекло 3050*2050 10 мм', 'size', lambda o: g(fam(o, 'acrylic') and o['th'] == 10))
q('акрил 8mm', 'size', lambda o: g(fam(o, 'acrylic', 'acrylic_mirror') and o['th'] == 8))
q('поликарбонат сотовый 16мм', 'size', lambda o: g(fam(o, 'pc_cell') and o['th'] == 16))
q('монолитный поликарбонат 0,4 см', 'size', lambda o: g(fam(o, 'pc_mono') and o['th'] == 4, fam(o, 'pc_cell') and o['th'] == 4))
q('композит 4 мм лист 1,5 на 4 метра', 'size',
  lambda o: g(fam(o, 'acp') and o['th'] == 4 and o['sheet'][0] == 1500, fam(o, 'acp') and o['th'] == 4))
q('АКП 1220х2440', 'size', lambda o: g(fam(o, 'acp') and sheet(o, 1220, 2440)))
q('пленка оракал шириной 1 м', 'size', lambda o: g(fam(o, *FILMS) and V(o) == 'Oracal' and o.get('w') == 1.0))
q('пленка для печати 1,52 м', 'size', lambda o: g(fam(o, 'film_print') and o.get('w') == 1.52))
q('ламинат 1370 мм матовый', 'size', lambda o: g(fam(o, 'laminate') and o['w'] == 1.37 and o['finish'] == 'matt',
                                               fam(o, 'laminate') and o['w'] == 1.37))
q('баннер шириной 5 м', 'size', lambda o: g(fam(o, *BANNERS) and o['w'] == 5.0))
q('двусторонний скотч 19мм', 'size', lambda o: g(fam(o, 'tape2s') and o['tw'] == 19))
q('двусторонняя лента 1,2 см', 'size', lambda o: g(fam(o, 'tape2s') and o['tw'] == 12))
q('плоттер с шириной реза 130 см', 'size', lambda o: g(fam(o, 'plotter') and 1.3 <= o['w'] <= 1.4, fam(o, 'plotter') and 1.19 <= o['w'] <= 1.65))
q('экосольвентник на 1600 мм', 'size', lambda o: g(fam(o, 'printer_eco') and 1.58 <= o['w'] <= 1.65, fam(o, 'printer_eco')))
q('магнитный винил 0,9 мм', 'size', lambda o: g(fam(o, 'film_magnetic') and o['th'] == 0.9, fam(o, 'film_magnetic')))
q('неон 8 на 16', 'size', lambda o: g(fam(o, 'neon') and o['prof'] == '8x16', fam(o, 'neon_acc') and '8x16' in o['name']))
q('баннер 3,2м 510 грамм', 'size', lambda o: g(fam(o, *BANNERS) and o['dens'] == 510 and o['w'] == 3.2, fam(o, *BANNERS) and o['dens'] == 510))
q('пенокартон 10мм', 'size', lambda o: g(fam(o, 'foamboard') and o['th'] == 10))
q('пвх лист 19 мм', 'size', lambda o: g(fam(o, 'pvc') and o['th'] == 19))
q('полистирол 2мм', 'size', lambda o: g(fam(o, 'hips') and o['th'] == 2))
q('roll-up 100 на 200', 'size', lambda o: g(fam(o, 'rollup') and o['wcm'] == 100))

# --- synonym (jargon, everyday words, material/use instead of category)
q('самоклейка для резки на плоттере', 'synonym', lambda o: g(fam(o, 'film_cut')))
q('плекс прозрачный 6 мм', 'synonym', lambda o: g(fam(o, 'acrylic') and o['th'] == 6 and o['cfam'] == 'clear'))
q('алюкобонд белый', 'synonym', lambda o: g(fam(o, 'acp') and o['cfam'] == 'white', fam(o, 'acp')))
q('каттер для наклеек', 'synonym', lambda o: g(fam(o, 'plotter'), fam(o, 'printer_eco') and o['cut']))
q('молочный пластик для лайтбокса', 'synonym', lambda o: g(fam(o, 'acrylic') and o['cfam'] == 'opal', fam(o, 'pc_cell') and o['cfam'] == 'opal'))
q('пленка под матовое стекло', 'synonym', lambda o: g(fam(o, 'film_frosted')))
q('икс-баннер', 'synonym', lambda o: g(fam(o, 'xbanner'), fam(o, 'lbanner')))
q('раскладушка уличная рекламная', 'synonym', lambda o: g(fam(o, 'stender')))
q('светоотражайка для знаков', 'synonym', lambda o: g(fam(o, 'film_reflective')))
q('монтажка для переноса букв', 'synonym', lambda o: g(fam(o, 'film_mounting')))
q('трансформатор для светодиодов 12 вольт', 'synonym', lambda o: g(fam(o, 'psu') and o['volt'] == 12, fam(o, 'psu')))
q('кластеры для подсветки букв', 'synonym', lambda o: g(fam(o, 'led_module')))
q('бэклит', 'synonym', lambda o: g(fam(o, 'banner_backlit'), fam(o, 'film_translucent')))
q('сетка для фасада дома', 'synonym', lambda o: g(fam(o, 'banner_mesh')))
q('флекс неон', 'synonym', lambda o: g(fam(o, 'neon')))
q('пленка для оклейки машины под печать', 'synonym',
  lambda o: g(fam(o, 'film_print') and o.get('cast', False), a(o, 'series', 'oraguard290', '3m8518')))
q('ПММА лист прозрачный', 'synonym', lambda o: g(fam(o, 'acrylic') and o['cfam'] == 'clear'))
q('вспененка 10 мм', 'synonym', lambda o: g(fam(o, 'pvc') and o['th'] == 10))
q('ячеистый поликарбонат', 'synonym', lambda o: g(fam(o, 'pc_cell')))
q('выставочный стенд-паук с магнитами', 'synonym', lambda o: g(fam(o, 'popup'), fam(o, 'xbanner')))
q('двусторонка для табличек', 'synonym', lambda o: g(fam(o, 'tape2s') and o['kind'] in ('vhb', 'foam', 'thin'), fam(o, 'tape2s')))
q('перфорка на стекло автобуса', 'synonym', lambda o: g(fam(o, 'film_perforated')))
q('уфка планшетник', 'synonym', lambda o: g(fam(o, 'printer_uv') and o['kind'] == 'flatbed', fam(o, 'printer_uv')))
q('ламинашка матовая', 'synonym', lambda o: g(fam(o, 'laminate') and o['finish'] == 'matt', fam(o, 'laminate')))
q('экосольвентка литровая', 'synonym', lambda o: g(fam(o, 'ink_eco') and o['vol'] == 1.0, fam(o, 'ink_eco')))

# --- price (per unit of sale, limits, ranges)
q('оракал 641 на отрез, цена за пог. м', 'price', lambda o: g(a(o, 'series', 'oracal641') and o['unit'] == 'пог. м'))
q('баннер до 100 руб за квадратный метр', 'price', lambda o: g(fam(o, *BANNERS) and o['unit'] == 'м²' and P(o) <= 100))
q('пвх до 1500 за лист', 'price', lambda o: g(fam(o, 'pvc') and P(o) <= 1500))
q('оргстекло дешевле 5000 за лист', 'price', lambda o: g(fam(o, 'acrylic', 'acrylic_mirror') and P(o) < 5000))
q('режущий плоттер не дороже 200 000', 'price', lambda o: g(fam(o, 'plotter') and P(o) <= 200000))
q('широкоформатный принтер от 1 до 1,5 млн', 'price', lambda o: g(fam(o, *PRINTERS) and 1_000_000 <= P(o) <= 1_500_000))
q('неон гибкий до 350 р за метр', 'price', lambda o: g(fam(o, 'neon') and P(o) <= 350))
q('рулон пленки для резки дешевле 9000', 'price', lambda o: g(fam(o, 'film_cut') and o['unit'] == 'рулон' and P(o) < 9000))
q('композитная панель до 4000 за лист', 'price', lambda o: g(fam(o, 'acp') and P(o) <= 4000))
q('ролл-ап до 4000 рублей', 'price', lambda o: g(fam(o, 'rollup') and P(o) <= 4000))
q('блок питания до 1500 р', 'price', lambda o: g(fam(o, 'psu') and P(o) <= 1500))
q('баннер 440 за рулон', 'price', lambda o: g(fam(o, 'banner_frontlit') and o['unit'] == 'рулон'))
q('литой баннер цена за погонный метр', 'price', lambda o: g(fam(o, 'banner_cast') and o['unit'] == 'пог. м', fam(o, 'banner_cast')))
q('сотовый поликарбонат от 3000 до 5000 за лист', 'price', lambda o: g(fam(o, 'pc_cell') and 3000 <= P(o) <= 5000))
q('экосольвентные чернила дешевле 3000', 'price', lambda o: g(fam(o, 'ink_eco') and P(o) < 3000))
q('рулонный ламинатор до 200 тыс', 'price', lambda o: g(fam(o, 'laminator') and P(o) <= 200000 and o['w'] >= 1))
q('самый дешевый режущий плоттер', 'price', lambda o: g(fam(o, 'plotter') and P(o) < 50000, fam(o, 'plotter') and P(o) < 100000))
q('пленка для печати от 8000 до 10000 за рулон', 'price', lambda o: g(fam(o, 'film_print') and o['unit'] == 'рулон' and 8000 <= P(o) <= 10000))
q('транслюцентка на отрез, сколько за метр', 'price', lambda o: g(fam(o, 'film_translucent') and o['unit'] == 'пог. м'))
q('УФ принтер дешевле 3 млн', 'price', lambda o: g(fam(o, 'printer_uv') and P(o) < 3_000_000))

# --- color
BLUE_NEAR = ('lightblue', 'turquoise')
q('синяя пленка для резки', 'color', lambda o: g(fam(o, 'film_cut') and o['cfam'] == 'blue', fam(o, 'film_cut') and o['cfam'] in BLUE_NEAR))
q('бордовая самоклейка', 'color', lambda o: g(fam(o, 'film_cut') and o['cfam'] == 'bordo', fam(o, 'film_cut') and o['cfam'] == 'darkred'))
q('красная пленка оракал', 'color', lambda o: g(fam(o, *FILMS) and V(o) == 'Oracal' and o.get('cfam') == 'red',
                                             fam(o, *FILMS) and V(o) == 'Oracal' and o.get('cfam') in ('bordo', 'darkred')))
q('черная матовая пленка', 'color', lambda o: g(fam(o, 'film_cut') and o['cfam'] == 'black' and o['finish'] == 'matt',
                                              fam(o, *FILMS) and o.get('cfam') == 'black'))
q('oracal 641 белая матовая', 'color', lambda o: g(a(o, 'series', 'oracal641') and o['cfam'] == 'white' and o['finish'] == 'matt',
                                                 a(o, 'series', 'oracal641') and o['cfam'] == 'white'))
q('молочное оргстекло 3мм', 'color', lambda o: g(fam(o, 'acrylic') and o['cfam'] == 'opal' and o['th'] == 3, fam(o, 'acrylic') and o['cfam'] == 'opal'))
q('опаловый поликарбонат', 'color', lambda o: g(fam(o, 'pc_cell', 'pc_mono') and o['cfam'] == 'opal'))
q('бирюзовая пленка', 'color', lambda o: g(fam(o, *FILMS) and o.get('cfam') == 'turquoise', fam(o, *FILMS) and o.get('cfam') == 'lightblue'))
q('оргстекло цвета морской волны', 'color', lambda o: g(fam(o, 'acrylic') and o['cfam'] == 'turquoise'))
q('салатовая пленка', 'color', lambda o: g(fam(o, *FILMS) and o.get('cfam') == 'lime', fam(o, *FILMS) and o.get('cfam') == 'green'))
q('золотая пленка для резки', 'color', lambda o: g(fam(o, 'film_cut') and o['cfam'] == 'gold'))
q('серебристый композит', 'color', lambda o: g(fam(o, 'acp') and o['cfam'] == 'silver', fam(o, 'acp') and o['cfam'] == 'grey'))
q('композитная панель антрацит', 'color', lambda o: g(fam(o, 'acp') and o['shade'] == 'антрацит', fam(o, 'acp') and o['cfam'] in ('grey', 'black')))
q('темно-синий оракал', 'color', lambda o: g(V(o) == 'Oracal' and o.get('shade') == 'темно-синий',
                                           V(o) == 'Oracal' and fam(o, *FILMS) and o.get('cfam') == 'blue'))
q('белые уф чернила', 'color', lambda o: g(fam(o, 'ink_uv') and o['cfam'] == 'white'))
q('неон теплый белый', 'color', lambda o: g(fam(o, 'neon') and o['cfam'] == 'warmwhite', fam(o, 'neon') and o['cfam'] == 'white'))
q('красный акрил', 'color', lambda o: g(fam(o, 'acrylic') and o['cfam'] == 'red', fam(o, 'acrylic') and o['cfam'] == 'bordo'))
q('желтый пвх', 'color', lambda o: g(fam(o, 'pvc') and o['cfam'] == 'yellow'))
q('модули синего свечения', 'color', lambda o: g(fam(o, 'led_module') and o['cfam'] == 'blue'))
q('черный пенокартон', 'color', lambda o: g(fam(o, 'foamboard') and o['cfam'] == 'black'))
q('розовый неон', 'color', lambda o: g(fam(o, 'neon') and o['cfam'] == 'pink'))
q('прозрачный двусторонний скотч', 'color', lambda o: g(fam(o, 'tape2s') and o['cfam'] == 'clear'))

# --- category (broad; core offers, not accessories)
q('что у вас есть для печати? какие принтеры', 'category', lambda o: g(fam(o, *PRINTERS)))
q('оборудование для резки пленки', 'category', lambda o: g(fam(o, 'plotter')))
q('что есть для подсветки вывески', 'category', lambda o: g(fam(o, 'led_module', 'neon', 'led_strip'), fam(o, 'psu')))
q('какие листовые пластики у вас есть', 'category', lambda o: g(fam(o, *SHEETS)))
q('чем заламинировать отпечатки', 'category', lambda o: g(fam(o, 'laminate', 'laminator')))
q('мобильные стенды для выставки', 'category', lambda o: g(fam(o, 'rollup', 'popup', 'xbanner', 'lbanner', 'presswall')))
q('инструмент для поклейки пленки', 'category', lambda o: g(fam(o, 'tool') and o['kind'] in ('squeegee', 'weeder', 'heatgun', 'knifeless')
                                                            or (fam(o, 'tool') and 'OLFA 30°' in o['name']), fam(o, 'tool')))
q('какие чернила продаете', 'category', lambda o: g(fam(o, *INKS)))
q('баннерные ткани', 'category', lambda o: g(fam(o, *BANNERS)))
q('материалы для лайтбоксов', 'category', lambda o: g(fam(o, 'film_translucent', 'banner_backlit') or (fam(o, 'acrylic') and o['cfam'] == 'opal'),
                                                     (fam(o, 'pc_cell') and o['cfam'] == 'opal') or fam(o, 'led_module')))
q('нужна машина для ламинации рулонов', 'category', lambda o: g(fam(o, 'laminator') and o['w'] >= 1, fam(o, 'laminator')))
q('расходники для режущего плоттера', 'category', lambda o: g(fam(o, 'knife', 'plotter_part')))
q('что есть из светодиодов', 'category', lambda o: g(fam(o, 'led_module', 'led_strip', 'neon'), fam(o, 'psu')))
q('самоклеющиеся пленки, какие есть', 'category',
  lambda o: g(fam(o, *FILMS) and not (fam(o, 'film_magnetic') and o['th'] == 0.5), fam(o, 'laminate', 'film_mounting', 'film_magnetic')))
q('что поставить у входа в магазин для рекламы', 'category', lambda o: g(fam(o, 'stender'), fam(o, 'rollup', 'xbanner', 'lbanner')))
q('оборудование для широкоформатной печати', 'category', lambda o: g(fam(o, *PRINTERS), fam(o, 'laminator')))
q('какие скотчи есть', 'category', lambda o: g(fam(o, 'tape2s', 'tape')))
q('расходка для принтера', 'category', lambda o: g(fam(o, *INKS, 'printer_part')))

# --- brand
q('Graphtec CE7000', 'brand', lambda o: g(fam(o, 'plotter') and o['series'].startswith('CE7000')))
q('Oraguard 210 матовый 1,37', 'brand', lambda o: g(a(o, 'series', 'oraguard210') and o['finish'] == 'matt' and o['w'] == 1.37,
                                                  a(o, 'series', 'oraguard210')))
q('Summa S One', 'brand', lambda o: g(fam(o, 'plotter') and V(o) == 'Summa', V(o) == 'Summa'))
q('HP Latex 630W', 'brand', lambda o: g(a(o, 'series', 'Latex 630 W'), fam(o, 'printer_latex')))
q('Avery 500', 'brand', lambda o: g(a(o, 'series', 'avery500')))
q('3M VHB', 'brand', lambda o: g(fam(o, 'tape2s') and o['kind'] == 'vhb'))
q('Mean Well', 'brand', lambda o: g(V(o) == 'Mean Well'))
q('Orajet 3951', 'brand', lambda o: g(a(o, 'series', 'orajet3951')))
q('Alucobond', 'brand', lambda o: g(V(o) == 'Alucobond'))
q('Kömatex 5', 'brand', lambda o: g(V(o) == 'Kömatex' and o['th'] == 5, V(o) == 'Kömatex'))
q('лезвия OLFA', 'brand', lambda o: g(fam(o, 'tool') and o['kind'] == 'blade', V(o) == 'OLFA'))
q('Epson SC-S40600', 'brand', lambda o: g(a(o, 'series', 'SC-S40600'), a(o, 'series', 'SC-S60600L')))

# --- typo
q('оргстекло малочное', 'typo', lambda o: g(fam(o, 'acrylic') and o['cfam'] == 'opal'))
q('поликорбонат сотовый 8мм', 'typo', lambda o: g(fam(o, 'pc_cell') and o['th'] == 8, fam(o, 'pc_cell')))
q('двухсторонний скоч 3м', 'typo', lambda o: g(fam(o, 'tape2s') and V(o) == '3M', fam(o, 'tape2s')))
q('пленка перфорированая на окна', 'typo', lambda o: g(fam(o, 'film_perforated')))
q('ламинат матовыйй', 'typo', lambda o: g(fam(o, 'laminate') and o['finish'] == 'matt'))
q('светодиодые модули белые', 'typo', lambda o: g(fam(o, 'led_module') and o['cfam'] == 'white', fam(o, 'led_module') and o['cfam'] == 'warmwhite'))
q('блок питаня 12в ip67', 'typo', lambda o: g(fam(o, 'psu') and o['volt'] == 12 and o['ip'] == 67, fam(o, 'psu') and o['volt'] == 12))
q('ролап эконом', 'typo', lambda o: g(fam(o, 'rollup') and o['kind'] == 'эконом', fam(o, 'rollup')))
q('банерная сетка', 'typo', lambda o: g(fam(o, 'banner_mesh')))
q('транслюцентая оракал красная', 'typo', lambda o: g(a(o, 'series', 'oracal8500') and o['cfam'] == 'red', a(o, 'series', 'oracal8500') and o['cfam'] == 'bordo'))
q('плотер режущий граффтек', 'typo', lambda o: g(fam(o, 'plotter') and V(o) == 'Graphtec'))

# --- translit
q('оракал 8500 белая', 'translit', lambda o: g(a(o, 'series', 'oracal8500') and o['cfam'] == 'white'))
q('оражет 3640 матовая', 'translit', lambda o: g(a(o, 'series', 'orajet3640') and o['finish'] == 'matt', a(o, 'series', 'orajet3640')))
q('эйвери 500 белая', 'translit', lambda o: g(a(o, 'series', 'avery500') and o['cfam'] == 'white', a(o, 'series', 'avery500')))
q('графтек', 'translit', lambda o: g(fam(o, 'plotter') and V(o) == 'Graphtec', V(o) == 'Graphtec'))
q('сумма каттер', 'translit', lambda o: g(fam(o, 'plotter') and V(o) == 'Summa', V(o) == 'Summa'))
q('мимаки уф принтер', 'translit', lambda o: g(fam(o, 'printer_uv') and V(o) == 'Mimaki', fam(o, *PRINTERS) and V(o) == 'Mimaki'))
q('алюкобонд 4мм', 'translit', lambda o: g(V(o) == 'Alucobond', fam(o, 'acp') and o['th'] == 4))
q('коматекс пвх', 'translit', lambda o: g(V(o) == 'Kömatex'))
q('блок питания мин велл', 'translit', lambda o: g(V(o) == 'Mean Well', fam(o, 'psu')))
q('эпсон экосольвентный принтер', 'translit', lambda o: g(fam(o, 'printer_eco') and V(o) == 'Epson'))
q('хп латекс чернила', 'translit', lambda o: g(fam(o, 'ink_latex')))
q('роланд чернила эко-сол', 'translit', lambda o: g(a(o, 'series', 'roland_esl5')))

# --- availability
q('оракал 641 синий в наличии', 'availability',
  lambda o: 0 if not o['avail'] else g(a(o, 'series', 'oracal641') and o['cfam'] == 'blue', a(o, 'series', 'oracal641') and o['cfam'] in BLUE_NEAR))
q('есть ли на складе пвх 10 мм', 'availability', lambda o: g(o['avail'] and fam(o, 'pvc') and o['th'] == 10))
q('режущий плоттер в наличии', 'availability', lambda o: g(o['avail'] and fam(o, 'plotter')))
q('ролл-ап 85х200 в наличии', 'availability', lambda o: g(o['avail'] and fam(o, 'rollup') and o['wcm'] == 85))
q('гибкий неон белый есть в наличии?', 'availability', lambda o: 0 if not o['avail'] else g(fam(o, 'neon') and o['cfam'] == 'white', fam(o, 'neon') and o['cfam'] == 'warmwhite'))
q('оргстекло опал есть в наличии?', 'availability', lambda o: g(o['avail'] and fam(o, 'acrylic') and o['cfam'] == 'opal'))
q('латексные чернила в наличии', 'availability', lambda o: g(o['avail'] and fam(o, 'ink_latex')))
q('ламинат Oraguard в наличии', 'availability', lambda o: g(o['avail'] and fam(o, 'laminate') and V(o) == 'Oracal'))
q('блок питания 12v в наличии', 'availability', lambda o: g(o['avail'] and fam(o, 'psu') and o['volt'] == 12))
q('что есть в наличии из АКП 3 мм', 'availability', lambda o: g(o['avail'] and fam(o, 'acp') and o['th'] == 3))

# --- morphology
q('интересует сотовым поликарбонатом прозрачным накрыть', 'morphology', lambda o: g(fam(o, 'pc_cell') and o['cfam'] == 'clear', fam(o, 'pc_cell')))
q('светоотражающими пленками торгуете?', 'morphology', lambda o: g(fam(o, 'film_reflective')))
q('ножами для плоттеров', 'morphology', lambda o: g(fam(o, 'knife'), fam(o, 'plotter_part')))
q('литого баннера', 'morphology', lambda o: g(fam(o, 'banner_cast')))
q('вспененным пвх черным', 'morphology', lambda o: g(fam(o, 'pvc') and o['cfam'] == 'black'))
q('магнитной пленки для автомагнитов', 'morphology', lambda o: g(fam(o, 'film_magnetic')))
q('монолитного поликарбоната', 'morphology', lambda o: g(fam(o, 'pc_mono')))
q('зеркальным акрилом', 'morphology', lambda o: g(fam(o, 'acrylic_mirror')))
q('ракелями с войлоком', 'morphology', lambda o: g(fam(o, 'tool') and o['kind'] == 'squeegee' and ('войлоч' in o['name'] or 'фетр' in o['name']),
                                                  fam(o, 'tool') and o['kind'] == 'squeegee'))
q('латексных принтеров', 'morphology', lambda o: g(fam(o, 'printer_latex')))
q('светодиодной лентой RGB', 'morphology', lambda o: g(fam(o, 'led_strip') and o['cfam'] == 'rgb', fam(o, 'led_module') and o['cfam'] == 'rgb'))


def main():
    write_yml(os.path.join(HERE, 'catalog.yml'))
    write_csv(os.path.join(HERE, 'catalog.csv'))
    out, problems = [], []
    for text, cls, judge in Q:
        rel = {}
        for o in OFFERS:
            gr = judge(o)
            if gr:
                rel[o['id']] = gr
        if not any(v == 2 for v in rel.values()):
            problems.append(text)
        rel = dict(sorted(rel.items(), key=lambda kv: (-kv[1], kv[0])))
        out.append({'q': text, 'class': cls, 'relevant': rel})
    with open(os.path.join(HERE, 'heldout-set.json'), 'w', encoding='utf-8') as f:
        json.dump(out, f, ensure_ascii=False, indent=1)
        f.write('\n')
    from collections import Counter
    print('offers', len(OFFERS), 'questions', len(out))
    print(dict(Counter(x['class'] for x in out)))
    if problems:
        print('NO GRADE-2 OFFER:', problems)
        raise SystemExit(1)


if __name__ == '__main__':
    main()
