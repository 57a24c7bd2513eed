"""Word lists the identity and narration builders draw from: Indian names, firms, places, institutions.

Pure data, so adding a bank or a city never touches logic. Institutions are
real names as they appear on Indian statements; every account, GSTIN and
reference built from them is synthetic.
"""
from __future__ import annotations

FIRST_NAMES_MALE = (
    "Rahul", "Amit", "Suresh", "Ramesh", "Rajesh", "Vikas", "Sanjay", "Anil", "Sunil", "Manoj", "Deepak",
    "Arjun", "Rohit", "Vijay", "Ajay", "Prakash", "Mahesh", "Ganesh", "Naveen", "Kiran", "Srinivas", "Venkatesh",
    "Ravi", "Mohan", "Harish", "Dinesh", "Mukesh", "Naresh", "Pradeep", "Satish", "Ashok", "Gopal", "Karthik",
    "Murali", "Senthil", "Balaji", "Arun", "Imran", "Salim", "Farhan", "Gurpreet", "Harpreet", "Jaspal", "Kunal",
    "Nikhil", "Pankaj", "Tushar", "Yogesh", "Hitesh", "Jignesh", "Bhavesh", "Chirag", "Sourav", "Subhash",
    "Debashish", "Anirban", "Abhishek", "Vivek", "Alok", "Rakesh",
)
FIRST_NAMES_FEMALE = (
    "Priya", "Anjali", "Sunita", "Kavita", "Pooja", "Neha", "Rekha", "Lakshmi", "Meena", "Shalini", "Divya",
    "Deepa", "Anita", "Geeta", "Swati", "Sneha", "Asha", "Radha", "Nandini", "Bhavna", "Hema", "Jyoti",
    "Farida", "Ruksana", "Manpreet", "Simran", "Ishita", "Riya", "Aparna", "Madhuri",
)
SURNAMES = {
    "north": ("Sharma", "Verma", "Gupta", "Agarwal", "Singh", "Yadav", "Kumar", "Mishra", "Tiwari", "Chauhan",
              "Malhotra", "Kapoor", "Arora", "Bansal", "Goyal", "Jain", "Saxena", "Srivastava", "Khan", "Sethi"),
    "west": ("Patel", "Shah", "Mehta", "Desai", "Joshi", "Kulkarni", "Deshpande", "Patil", "Pawar", "Jadhav",
             "Shinde", "Gandhi", "Modi", "Thakkar", "Chavan", "Kale", "Bhosale", "Parekh", "Soni", "Trivedi"),
    "south": ("Reddy", "Rao", "Naidu", "Iyer", "Iyengar", "Nair", "Menon", "Pillai", "Krishnan", "Subramanian",
              "Gowda", "Shetty", "Hegde", "Raju", "Murthy", "Prasad", "Rajan", "Kumaran", "Chettiar", "Varghese"),
    "east": ("Das", "Banerjee", "Chatterjee", "Mukherjee", "Ghosh", "Bose", "Sen", "Roy", "Dutta", "Saha",
             "Mondal", "Paul", "Sarkar", "Mitra", "Chakraborty", "Biswas", "Nath", "Dey", "Pal", "Kar"),
}
# state -> (GST state code, cities, electricity board on bills, region for surnames)
STATES = {
    "Maharashtra": ("27", ("Mumbai", "Pune", "Nagpur", "Nashik", "Aurangabad", "Thane"), "MSEDCL", "west"),
    "Karnataka": ("29", ("Bengaluru", "Mysuru", "Hubballi", "Mangaluru", "Belagavi"), "BESCOM", "south"),
    "Tamil Nadu": ("33", ("Chennai", "Coimbatore", "Madurai", "Tiruppur", "Salem"), "TANGEDCO", "south"),
    "Gujarat": ("24", ("Ahmedabad", "Surat", "Vadodara", "Rajkot", "Jamnagar"), "UGVCL", "west"),
    "Delhi": ("07", ("New Delhi", "Delhi"), "BSES RAJDHANI", "north"),
    "Uttar Pradesh": ("09", ("Lucknow", "Kanpur", "Noida", "Agra", "Varanasi", "Ghaziabad"), "UPPCL", "north"),
    "Rajasthan": ("08", ("Jaipur", "Jodhpur", "Udaipur", "Kota"), "JVVNL", "north"),
    "Telangana": ("36", ("Hyderabad", "Warangal", "Secunderabad"), "TSSPDCL", "south"),
    "West Bengal": ("19", ("Kolkata", "Howrah", "Siliguri", "Durgapur"), "CESC LTD", "east"),
    "Punjab": ("03", ("Ludhiana", "Amritsar", "Jalandhar"), "PSPCL", "north"),
    "Haryana": ("06", ("Gurugram", "Faridabad", "Panipat"), "DHBVN", "north"),
    "Madhya Pradesh": ("23", ("Indore", "Bhopal", "Jabalpur"), "MPPKVVCL", "north"),
    "Kerala": ("32", ("Kochi", "Thiruvananthapuram", "Kozhikode"), "KSEB", "south"),
    "Andhra Pradesh": ("37", ("Visakhapatnam", "Vijayawada", "Guntur"), "APSPDCL", "south"),
}
FIRM_HONORIFICS = ("Shree", "Sri", "Shri", "Jai", "Om", "Maa", "New", "Royal")
FIRM_CORES = (
    "Balaji", "Lakshmi", "Ganesh", "Sai", "Durga", "Krishna", "Vinayaka", "Mahalaxmi", "Annapurna", "Gayatri",
    "Tirupati", "Siddhivinayak", "Ambica", "Kamdhenu", "Venkateswara", "Murugan", "Arihant", "Mahavir", "Navkar",
    "Bharat", "Hindustan", "Supreme", "Classic", "Jyoti", "Amar", "Guru Nanak", "Saraswati", "Umiya", "Jagdamba",
)
COMPANY_WORDS = ("Global", "Prime", "Apex", "Sunrise", "Vertex", "Zenith", "Orbit", "Nova", "Pioneer", "Evergreen")
# name -> (GST rates with weights, firm suffixes, ONDC catalogue (item, low, high rupees incl. GST))
INDUSTRIES = {
    "FMCG Distribution": (((5, 0.4), (12, 0.3), (18, 0.3)), ("Traders", "Distributors", "Agencies"),
                          (("Aashirvaad Atta 10kg", 420, 520), ("Fortune Sunflower Oil 5L", 650, 820),
                           ("Tata Salt 1kg x 10", 230, 280), ("Surf Excel 1kg", 120, 150), ("Toor Dal 5kg", 600, 780))),
    "Textiles": (((5, 0.7), (12, 0.3)), ("Textiles", "Fabrics", "Garments"),
                 (("Cotton Kurta", 450, 1200), ("Banarasi Saree", 1800, 6500), ("Men's Formal Shirt", 600, 1500),
                  ("Double Bedsheet", 500, 1400), ("Dress Material", 700, 2200))),
    "Auto Parts": (((18, 0.5), (28, 0.5)), ("Auto Spares", "Automobiles", "Motors"),
                   (("Brake Pad Set", 650, 1800), ("Clutch Plate", 1200, 3500), ("Engine Oil 1L", 380, 650),
                    ("Headlight Assembly", 1500, 4500), ("Air Filter", 250, 700))),
    "Electricals & Hardware": (((18, 1.0),), ("Electricals", "Hardware", "Electric Stores"),
                               (("LED Bulb 9W x 10", 700, 1100), ("House Wire 90m", 1400, 2600), ("MCB 32A", 250, 450),
                                ("Ceiling Fan", 1600, 3800), ("PVC Conduit Pipe x 10", 600, 1100))),
    "Pharma Distribution": (((12, 0.8), (5, 0.2)), ("Pharma", "Medical Agencies", "Healthcare"),
                            (("Paracetamol 500mg x 10 strips", 180, 320), ("Cough Syrup 100ml x 6", 450, 700),
                             ("Vitamin C 500mg x 5", 300, 520), ("Surgical Gloves Box", 350, 600),
                             ("N95 Masks Pack of 20", 600, 1100))),
    "Food Processing": (((5, 0.8), (12, 0.2)), ("Foods", "Food Products", "Masala Udyog"),
                        (("Basmati Rice 25kg", 1800, 3200), ("Organic Jaggery 5kg", 350, 600),
                         ("Garam Masala 500g", 250, 420), ("Cold Pressed Groundnut Oil 5L", 900, 1400),
                         ("Papad Combo", 200, 380))),
    "Printing & Packaging": (((18, 0.7), (12, 0.3)), ("Packaging", "Printers", "Paper Products"),
                             (("Corrugated Boxes x 100", 1800, 4200), ("Printed Labels x 1000", 900, 2000),
                              ("Paper Bags x 200", 800, 1600), ("Visiting Cards x 500", 350, 800))),
    "Furniture": (((18, 1.0),), ("Furniture", "Furnishers", "Wood Works"),
                  (("Office Chair", 3500, 9000), ("Study Table", 4500, 12000), ("Steel Almirah", 8000, 16000),
                   ("Plastic Chair x 4", 1800, 3000))),
}
# bank -> (IFSC prefix, statement name, FIP id, txnId prefix)
BANKS = (
    ("HDFC", "HDFC BANK", "HDFC-FIP", "S"), ("ICIC", "ICICI BANK", "ICICI-FIP", "M"),
    ("SBIN", "STATE BANK OF INDIA", "SBI-FIP", "T"), ("UTIB", "AXIS BANK", "AXIS001", "A"),
    ("KKBK", "KOTAK MAHINDRA BANK", "KOTAK-FIP", "K"), ("BARB", "BANK OF BARODA", "BOB-FIP", "B"),
    ("PUNB", "PUNJAB NATIONAL BANK", "PNB-FIP", "P"), ("IDFB", "IDFC FIRST BANK", "IDFCFirst-FIP", "F"),
    ("CNRB", "CANARA BANK", "CANARA-FIP", "C"), ("YESB", "YES BANK", "YESB-FIP", "Y"),
)
UPI_HANDLES = ("okicici", "okhdfcbank", "oksbi", "okaxis", "ybl", "paytm", "ibl", "axl", "apl")
TERM_LENDERS = (
    "BAJAJ FINANCE LTD", "TATA CAPITAL FINANCIAL SERVICES", "HDFC BANK LTD", "ICICI BANK LTD",
    "KOTAK MAHINDRA BANK", "IDFC FIRST BANK", "ADITYA BIRLA FINANCE LTD", "SHRIRAM FINANCE LTD",
    "MAHINDRA AND MAHINDRA FINANCIAL SERVICES", "AXIS BANK LTD",
)
OCEN_LENDERS = (
    ("lendingkart.ocen.in", "LENDINGKART FINANCE LTD"), ("flexiloans.ocen.in", "EPIMONEY PVT LTD FLEXILOANS"),
    ("indifi.ocen.in", "INDIFI CAPITAL PVT LTD"), ("neogrowth.ocen.in", "NEOGROWTH CREDIT PVT LTD"),
    ("ugro.ocen.in", "UGRO CAPITAL LTD"), ("protium.ocen.in", "PROTIUM FINANCE LTD"),
    ("kinara.ocen.in", "KINARA CAPITAL PVT LTD"), ("sidbi.ocen.in", "SIDBI"),
)
PUBLIC_SECTOR_BANKS = ("STATE BANK OF INDIA", "BANK OF BARODA", "PUNJAB NATIONAL BANK", "CANARA BANK")
BUREAUS = ("CIBIL", "EXPERIAN", "EQUIFAX", "CRIF")
INSURERS_LIFE = ("LIC OF INDIA", "HDFC LIFE INSURANCE", "ICICI PRUDENTIAL LIFE", "SBI LIFE INSURANCE", "TATA AIA LIFE")
INSURERS_GENERAL = ("ICICI LOMBARD GIC", "BAJAJ ALLIANZ GIC", "NEW INDIA ASSURANCE", "HDFC ERGO GIC", "TATA AIG GIC")
INSURERS_HEALTH = ("STAR HEALTH INSURANCE", "NIVA BUPA HEALTH", "CARE HEALTH INSURANCE")
# (amc, registrar, scheme code, scheme name, ISIN, category, NAV 36 months before as-of)
MF_SCHEMES = (
    ("SBI Mutual Fund", "CAMS", "119598", "SBI Bluechip Fund - Direct Plan - Growth", "INF200K01QX4", "LARGE_CAP", 68.0),
    ("HDFC Mutual Fund", "CAMS", "118989", "HDFC Mid-Cap Opportunities Fund - Direct Growth", "INF179K01XQ0", "MID_CAP", 115.0),
    ("ICICI Prudential Mutual Fund", "CAMS", "120377", "ICICI Prudential Balanced Advantage Fund - Direct Growth",
     "INF109K01Z48", "BALANCED_ADVANTAGE", 56.0),
    ("Nippon India Mutual Fund", "KFINTECH", "118778", "Nippon India Small Cap Fund - Direct Growth", "INF204K01K15",
     "SMALL_CAP", 98.0),
    ("Axis Mutual Fund", "KFINTECH", "120503", "Axis ELSS Tax Saver Fund - Direct Growth", "INF846K01EW2", "ELSS", 74.0),
    ("PPFAS Mutual Fund", "CAMS", "122639", "Parag Parikh Flexi Cap Fund - Direct Growth", "INF879O01027", "FLEXI_CAP", 58.0),
    ("Kotak Mahindra Mutual Fund", "CAMS", "119766", "Kotak Liquid Fund - Direct Growth", "INF174K01LS2", "LIQUID", 4450.0),
    ("UTI Mutual Fund", "KFINTECH", "120716", "UTI Nifty 50 Index Fund - Direct Growth", "INF789F01XA0", "INDEX", 128.0),
)
# ONDC buyer apps: (bap_id, name as it appears on a settlement credit)
ONDC_BAPS = (
    ("paytm.com", "PAYTM ECOMMERCE"), ("mystore.in", "MYSTORE ONDC"), ("magicpin.in", "MAGICPIN"),
    ("pincode.phonepe.com", "PINCODE PHONEPE"),
)
# merchants for small business expenses: (name on the statement, mode)
MERCHANTS = (
    ("SWIGGY", "UPI"), ("ZOMATO", "UPI"), ("AMAZON PAY", "UPI"), ("FLIPKART", "CARD"), ("INDIAN OIL", "CARD"),
    ("HP PETROL PUMP", "UPI"), ("BHARAT PETROLEUM", "CARD"), ("DMART", "CARD"), ("RELIANCE SMART", "UPI"),
    ("BIGBASKET", "UPI"), ("UBER INDIA", "UPI"), ("OLA CABS", "UPI"), ("IRCTC", "CARD"), ("APOLLO PHARMACY", "UPI"),
    ("BLINKIT", "UPI"), ("ZEPTO", "UPI"), ("STAPLES STATIONERY", "CARD"), ("DELHIVERY", "UPI"), ("PORTER", "UPI"),
    ("TEA STALL", "UPI"), ("XEROX CENTRE", "UPI"), ("HARDWARE STORE", "UPI"),
)
TELECOM = ("AIRTEL", "JIO", "VI POSTPAID")
BROADBAND = ("ACT FIBERNET", "AIRTEL XSTREAM", "JIOFIBER", "HATHWAY")
ANOMALY_PARTIES = (
    "ZENTRIX GLOBAL TRADING FZE", "QUICKSILVER VENTURES", "M K ENTERPRISES", "SKYLINE IMPEX", "GOLDEN ARC TRADING",
    "NORTHSTAR HOLDINGS", "BLUEWAVE EXPORTS", "R R CONSULTANTS", "OMEGA COMMODITIES", "ALPHA LINE SERVICES",
)
FOREIGN_MERCHANTS = ("GOOGLE ADS DUBLIN", "BINANCE SG", "ALIEXPRESS HANGZHOU", "AIRBNB SAN FRANCISCO")
