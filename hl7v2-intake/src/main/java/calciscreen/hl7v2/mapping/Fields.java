package calciscreen.hl7v2.mapping;

import ca.uhn.hl7v2.model.Primitive;
import ca.uhn.hl7v2.model.v251.datatype.CE;
import ca.uhn.hl7v2.model.v251.datatype.CWE;
import ca.uhn.hl7v2.model.v251.datatype.EI;
import ca.uhn.hl7v2.model.v251.datatype.TS;

/** Reading HAPI's v2.5.1 types as plain strings: never null, trimmed. */
final class Fields {

    private Fields() {}

    static String text(Primitive primitive) {
        String value = primitive == null ? null : primitive.getValue();
        return value == null ? "" : value.trim();
    }

    static String time(TS ts) {
        return ts == null ? "" : text(ts.getTime());
    }

    static String[] triplets(CE ce) {
        return new String[] {text(ce.getIdentifier()), text(ce.getText()), text(ce.getNameOfCodingSystem()),
                text(ce.getAlternateIdentifier()), text(ce.getAlternateText()), text(ce.getNameOfAlternateCodingSystem())};
    }

    static String[] triplets(CWE cwe) {
        return new String[] {text(cwe.getIdentifier()), text(cwe.getText()), text(cwe.getNameOfCodingSystem()),
                text(cwe.getAlternateIdentifier()), text(cwe.getAlternateText()),
                text(cwe.getNameOfAlternateCodingSystem())};
    }

    /** An entity identifier (EI) as {@code id} or {@code id^namespace}, the way it identifies an order. */
    static String entity(EI ei) {
        String id = text(ei.getEntityIdentifier());
        String namespace = text(ei.getNamespaceID());
        return id.isEmpty() ? "" : namespace.isEmpty() ? id : id + "^" + namespace;
    }
}
