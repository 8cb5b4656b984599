# XML: xml.etree.ElementTree, xml.dom.minidom, xml.sax, xml.parsers.expat
import io
import xml.dom.minidom
import xml.etree.ElementTree as ET
import xml.parsers.expat
import xml.sax
import xml.sax.handler

root = ET.fromstring("<lib><book id='1'><title>A</title></book><book id='2'><title>B</title></book></lib>")
print([b.get("id") for b in root.findall("book")], root.find("./book[@id='2']/title").text)
new = ET.SubElement(root, "book", id="3")
ET.SubElement(new, "title").text = "C & D"
print(ET.tostring(root, encoding="unicode"))
print(xml.dom.minidom.parseString("<a><b x='1'/></a>").toprettyxml(indent=" "))


class Counter(xml.sax.handler.ContentHandler):
    def __init__(self):
        super().__init__()
        self.tags = []

    def startElement(self, name, attrs):
        self.tags.append((name, dict(attrs)))


h = Counter()
xml.sax.parseString(b"<r><i n='1'/><i n='2'/></r>", h)
print(h.tags)
seen = []
p = xml.parsers.expat.ParserCreate()
p.StartElementHandler = lambda name, attrs: seen.append(name)
p.Parse("<x><y/><z/></x>", True)
print(seen)
try:
    ET.fromstring("<unclosed>")
except ET.ParseError as e:
    print("ParseError", e.position)
