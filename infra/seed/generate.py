#!/usr/bin/env python3
"""Writes the demo catalog: infra/seed/demo_catalog.sql and one small SVG per
product in storefront/public/img/products/. Deterministic; run it again after
editing the list below."""
import pathlib, random

ROOT = pathlib.Path(__file__).resolve().parents[2]
SIZES = ["XS", "S", "M", "L", "XL"]
COLOURS = {"Bleu": ("BLEU", "#2f5d9e"), "Blanc": ("BLANC", "#f3f1ec"), "Noir": ("NOIR", "#222"),
           "Rouge": ("ROUGE", "#b3322c"), "Vert": ("VERT", "#3d7a4f"), "Écru": ("ECRU", "#e9dfc8"),
           "Marine": ("MARINE", "#1f2a44"), "Jaune": ("JAUNE", "#e2b43a"), "Gris": ("GRIS", "#8a8d91"),
           "Camel": ("CAMEL", "#b98a53"), "Rose": ("ROSE", "#d99aa5")}
# (id, code, name, category, price in cents, colours, sizes, description)
PRODUCTS = [
    ("t-shirt-lin", "TSL", "T-shirt en lin", "Hauts", 3500, ["Bleu", "Blanc", "Écru"], SIZES, "Lin lavé, coupe droite, fabriqué au Portugal."),
    ("t-shirt-coton-bio", "TSC", "T-shirt coton bio", "Hauts", 2500, ["Blanc", "Noir", "Vert"], SIZES, "Jersey de coton biologique 180 g/m²."),
    ("mariniere", "MAR", "Marinière", "Hauts", 4900, ["Marine", "Rouge"], SIZES, "La rayure bretonne, en coton épais."),
    ("chemise-oxford", "CHO", "Chemise Oxford", "Hauts", 6900, ["Bleu", "Blanc"], SIZES, "Toile Oxford, col boutonné."),
    ("chemise-lin", "CHL", "Chemise en lin", "Hauts", 7500, ["Écru", "Bleu"], SIZES, "Lin français, légère pour l'été."),
    ("polo-pique", "POL", "Polo piqué", "Hauts", 4500, ["Marine", "Blanc", "Vert"], SIZES, "Maille piquée, patte trois boutons."),
    ("sweat-col-rond", "SWR", "Sweat col rond", "Maille", 6500, ["Gris", "Marine"], SIZES, "Molleton gratté, bord-côtes."),
    ("hoodie", "HOO", "Sweat à capuche", "Maille", 7900, ["Noir", "Gris"], SIZES, "Capuche doublée, poche kangourou."),
    ("pull-laine", "PUL", "Pull en laine mérinos", "Maille", 9900, ["Camel", "Marine", "Gris"], SIZES, "Mérinos extra-fin, col rond."),
    ("cardigan", "CAR", "Cardigan", "Maille", 8900, ["Écru", "Noir"], SIZES, "Maille côtelée, boutons en corozo."),
    ("jean-droit", "JEA", "Jean droit", "Bas", 8900, ["Bleu", "Noir"], ["36", "38", "40", "42", "44"], "Denim 13 oz, coupe droite."),
    ("chino", "CHI", "Pantalon chino", "Bas", 6900, ["Camel", "Marine"], ["36", "38", "40", "42", "44"], "Sergé de coton, coupe fuselée."),
    ("short-lin", "SHL", "Short en lin", "Bas", 4500, ["Écru", "Bleu"], SIZES, "Taille élastiquée, deux poches."),
    ("jupe-plissee", "JUP", "Jupe plissée", "Bas", 5900, ["Noir", "Vert"], ["34", "36", "38", "40"], "Plis permanents, longueur midi."),
    ("robe-ete", "RBE", "Robe d'été", "Robes", 7900, ["Jaune", "Bleu"], ["34", "36", "38", "40"], "Viscose fleurie, bretelles réglables."),
    ("robe-chemise", "RBC", "Robe chemise", "Robes", 8500, ["Blanc", "Rose"], ["34", "36", "38", "40"], "Popeline de coton, ceinture à nouer."),
    ("robe-pull", "RBP", "Robe pull", "Robes", 9500, ["Gris", "Camel"], ["XS", "S", "M", "L"], "Maille douce, col montant."),
    ("veste-travail", "VTR", "Veste de travail", "Vestes", 11900, ["Bleu", "Vert"], SIZES, "La veste bleue de travail, en moleskine."),
    ("trench", "TRE", "Trench", "Vestes", 18900, ["Camel", "Marine"], SIZES, "Gabardine déperlante, ceinture."),
    ("cire", "CIR", "Ciré", "Vestes", 12900, ["Jaune", "Marine"], SIZES, "Le ciré breton, coutures étanchées."),
    ("doudoune-legere", "DOU", "Doudoune légère", "Vestes", 14900, ["Noir", "Marine"], SIZES, "Garnissage recyclé, se range dans sa poche."),
    ("casquette", "CAS", "Casquette", "Accessoires", 2900, ["Marine", "Écru", "Vert"], [None], "Coton délavé, taille réglable."),
    ("bonnet", "BON", "Bonnet", "Accessoires", 2500, ["Rouge", "Gris", "Marine"], [None], "Laine côtelée, revers."),
    ("echarpe", "ECH", "Écharpe en laine", "Accessoires", 4500, ["Camel", "Gris"], [None], "Laine d'agneau, franges."),
    ("tote-bag", "TOT", "Tote bag", "Accessoires", 1900, ["Écru"], [None], "Toile épaisse, anses longues."),
    ("ceinture-cuir", "CEI", "Ceinture en cuir", "Accessoires", 3900, ["Noir", "Camel"], ["85", "90", "95", "100"], "Cuir pleine fleur, boucle laiton."),
    ("chaussettes", "CHA", "Chaussettes (lot de 3)", "Accessoires", 1500, ["Rouge", "Vert", "Marine"], ["35-38", "39-42", "43-46"], "Coton peigné, talon renforcé."),
    ("espadrilles", "ESP", "Espadrilles", "Chaussures", 3900, ["Marine", "Écru", "Rouge"], ["37", "38", "39", "40", "41", "42"], "Semelle en jute, fabriquées au Pays basque."),
    ("baskets-toile", "BAS", "Baskets en toile", "Chaussures", 6500, ["Blanc", "Noir"], ["37", "38", "39", "40", "41", "42", "43"], "Toile de coton, semelle vulcanisée."),
    ("bottines", "BOT", "Bottines en cuir", "Chaussures", 15900, ["Noir", "Camel"], ["37", "38", "39", "40", "41", "42"], "Cuir lisse, semelle cousue Goodyear."),
]

# English names and descriptions, by product id; and the categories' names.
ENGLISH = {
    "t-shirt-lin": ("Linen T-shirt", "Washed linen, straight cut, made in Portugal."),
    "t-shirt-coton-bio": ("Organic cotton T-shirt", "Organic cotton jersey, 180 g/m²."),
    "mariniere": ("Breton striped top", "The Breton stripe, in heavy cotton."),
    "chemise-oxford": ("Oxford shirt", "Oxford cloth, button-down collar."),
    "chemise-lin": ("Linen shirt", "French linen, light for summer."),
    "polo-pique": ("Piqué polo shirt", "Piqué knit, three-button placket."),
    "sweat-col-rond": ("Crew-neck sweatshirt", "Brushed fleece, ribbed trims."),
    "hoodie": ("Hooded sweatshirt", "Lined hood, kangaroo pocket."),
    "pull-laine": ("Merino wool jumper", "Extra-fine merino, crew neck."),
    "cardigan": ("Cardigan", "Ribbed knit, corozo buttons."),
    "jean-droit": ("Straight-leg jeans", "13 oz denim, straight cut."),
    "chino": ("Chino trousers", "Cotton twill, tapered cut."),
    "short-lin": ("Linen shorts", "Elasticated waist, two pockets."),
    "jupe-plissee": ("Pleated skirt", "Permanent pleats, midi length."),
    "robe-ete": ("Summer dress", "Floral viscose, adjustable straps."),
    "robe-chemise": ("Shirt dress", "Cotton poplin, tie belt."),
    "robe-pull": ("Jumper dress", "Soft knit, high neck."),
    "veste-travail": ("Work jacket", "The blue work jacket, in moleskin."),
    "trench": ("Trench coat", "Water-repellent gabardine, belted."),
    "cire": ("Raincoat", "The Breton raincoat, taped seams."),
    "doudoune-legere": ("Light puffer jacket", "Recycled filling, packs into its own pocket."),
    "casquette": ("Cap", "Washed cotton, adjustable size."),
    "bonnet": ("Beanie", "Ribbed wool, turn-up."),
    "echarpe": ("Wool scarf", "Lambswool, fringed."),
    "tote-bag": ("Tote bag", "Heavy canvas, long handles."),
    "ceinture-cuir": ("Leather belt", "Full-grain leather, brass buckle."),
    "chaussettes": ("Socks (pack of 3)", "Combed cotton, reinforced heel."),
    "espadrilles": ("Espadrilles", "Jute sole, made in the Basque Country."),
    "baskets-toile": ("Canvas trainers", "Cotton canvas, vulcanised sole."),
    "bottines": ("Leather ankle boots", "Smooth leather, Goodyear-welted sole."),
}
CATEGORIES_EN = {"Hauts": "Tops", "Maille": "Knitwear", "Bas": "Bottoms", "Robes": "Dresses",
                 "Vestes": "Jackets", "Accessoires": "Accessories", "Chaussures": "Shoes"}

def q(s):
    return "NULL" if s is None else "'" + s.replace("'", "''") + "'"

def svg(name, hexes, category):
    w = 400
    stripes = "".join(
        f'<rect x="{i * w // len(hexes)}" y="0" width="{w // len(hexes) + 1}" height="500" fill="{h}"/>'
        for i, h in enumerate(hexes))
    shapes = {
        "Hauts": "M120 150 L170 120 Q200 140 230 120 L280 150 L310 210 L270 225 L270 380 L130 380 L130 225 L90 210 Z",
        "Maille": "M120 150 L170 120 Q200 150 230 120 L280 150 L320 330 L285 338 L270 230 L270 390 L130 390 L130 230 L115 338 L80 330 Z",
        "Bas": "M140 110 L260 110 L280 390 L215 390 L200 200 L185 390 L120 390 Z",
        "Robes": "M170 110 L230 110 L245 180 L300 390 L100 390 L155 180 Z",
        "Vestes": "M120 140 L175 115 L200 170 L225 115 L280 140 L315 380 L270 385 L265 240 L265 395 L135 395 L135 240 L130 385 L85 380 Z",
        "Accessoires": "M130 200 Q200 110 270 200 L300 240 L100 240 Z M120 260 L280 260 L280 380 L120 380 Z",
        "Chaussures": "M90 300 L170 250 L200 200 L250 200 L260 280 L330 300 L330 340 L90 340 Z",
    }
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 500" role="img" aria-label="{name}">'
            f'<rect width="400" height="500" fill="#f6f4ef"/><g opacity=".9">{stripes}</g>'
            f'<path d="{shapes[category]}" fill="#fff" fill-opacity=".85" stroke="#1d1d1b" stroke-width="4"/></svg>\n')

def main():
    rnd = random.Random(1789)
    img_dir = ROOT / "storefront/public/img/products"
    img_dir.mkdir(parents=True, exist_ok=True)
    out = ["-- Demo catalog: generated by infra/seed/generate.py, do not edit by hand.",
           "-- Applied once, into a fresh database, when `demo_catalog` is on."]
    for pos, (pid, code, name, cat, price, colours, sizes, desc) in enumerate(PRODUCTS):
        image = f"/img/products/{pid}.svg"
        (img_dir / f"{pid}.svg").write_text(svg(name, [COLOURS[c][1] for c in colours], cat))
        out.append(f"INSERT INTO products (id, name, description, category, image, position) VALUES "
                   f"({q(pid)}, {q(name)}, {q(desc)}, {q(cat)}, {q(image)}, {pos});")
        # name_key is computed by the functions when they index the catalog.
        en_name, en_desc = ENGLISH[pid]
        out.append(f"INSERT INTO product_translations (product_id, lang, name, description) VALUES "
                   f"({q(pid)}, 'en', {q(en_name)}, {q(en_desc)});")
        vpos = 0
        for colour in colours:
            for size in sizes:
                sku = "-".join(x for x in [code, COLOURS[colour][0], size] if x)
                roll = rnd.random()
                on_hand = 0 if roll < 0.05 else rnd.randint(1, 3) if roll < 0.12 else rnd.randint(8, 60)
                bump = 500 if size in ("XL", "44", "46", "43-46") else 0
                out.append(f"INSERT INTO variants (sku, product_id, size, colour, price_cents, position) VALUES "
                           f"({q(sku)}, {q(pid)}, {q(size)}, {q(colour)}, {price + bump}, {vpos});")
                out.append(f"INSERT INTO stock (sku, on_hand, low_threshold) VALUES ({q(sku)}, {on_hand}, 3);")
                if on_hand:
                    out.append(f"INSERT INTO stock_movements (id, sku, kind, quantity, note, at) VALUES "
                               f"({q('seed-' + sku)}, {q(sku)}, 'receipt', {on_hand}, 'demo catalog', 0);")
                vpos += 1
    for cat, en in CATEGORIES_EN.items():
        out.append(f"INSERT INTO category_translations (category, lang, name) VALUES ({q(cat)}, 'en', {q(en)});")
    # Promotion codes (times are unix ms; 1767225600000 = 2026-01-01, 1830297600000 = 2028-01-01).
    out += [
        "INSERT INTO promotions (code, kind, value, min_subtotal_cents, starts_at, ends_at, per_customer_limit, stackable, created_at) "
        "VALUES ('BIENVENUE10', 'percentage', 1000, 0, 1767225600000, 1830297600000, 1, 0, 0);",
        "INSERT INTO promotions (code, kind, value, min_subtotal_cents, starts_at, ends_at, stackable, created_at) "
        "VALUES ('LIVRAISON', 'free_shipping', 0, 3000, 1767225600000, 1830297600000, 1, 0);",
        "INSERT INTO promotions (code, kind, value, min_subtotal_cents, starts_at, ends_at, usage_limit, stackable, created_at) "
        "VALUES ('CINQ', 'fixed_amount', 500, 5000, 1767225600000, 1830297600000, 100, 1, 0);",
        "INSERT INTO promotions (code, kind, value, min_subtotal_cents, starts_at, ends_at, stackable, created_at) "
        "VALUES ('HIVER2025', 'percentage', 2000, 0, 1733011200000, 1740787200000, 0, 0);",
    ]
    (ROOT / "infra/seed/demo_catalog.sql").write_text("\n".join(out) + "\n")

main()
