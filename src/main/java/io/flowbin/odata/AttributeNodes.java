package io.flowbin.odata;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flowbin.metadata.AttributeType;
import io.flowbin.metadata.ChoiceOption;
import io.flowbin.metadata.ColumnDefinition;
import io.flowbin.metadata.RequiredLevel;
import io.flowbin.metadata.TableDefinition;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Builds the JSON tree of one {@code AttributeMetadata} (and its option set) from a column definition, typed as the
 * derived type Dataverse uses for the column's attribute type. Stateless and thread-safe.
 */
final class AttributeNodes {
    /** The field that carries a node's actual type; the writer decides whether the client sees it. */
    static final String TYPE = "@odata.type";
    private static final int LANGUAGE = 1033;

    private AttributeNodes() {}

    /** A stable id derived from what the definition is and its name, so ids survive restarts and re-imports. */
    static UUID metadataId(String kind, String name) {
        return UUID.nameUUIDFromBytes(("flowbin:" + kind + ":" + name).getBytes(StandardCharsets.UTF_8));
    }

    static ObjectNode node(String typeName, UUID metadataId) {
        ObjectNode node = PayloadReader.JSON.createObjectNode();
        node.put(TYPE, "#" + EdmProvider.NAMESPACE + "." + typeName);
        node.put("MetadataId", metadataId.toString());
        node.putNull("HasChanged");
        return node;
    }

    /** A Dataverse {@code Label}: one English label, or no labels when the text is empty. */
    static ObjectNode label(String text, String owner) {
        ObjectNode label = PayloadReader.JSON.createObjectNode();
        ArrayNode labels = label.putArray("LocalizedLabels");
        if (text.isEmpty()) {
            label.putNull("UserLocalizedLabel");
            return label;
        }
        ObjectNode localized = labels.addObject();
        localized.put("Label", text);
        localized.put("LanguageCode", LANGUAGE);
        localized.put("IsManaged", true);
        localized.put("MetadataId", metadataId("label", owner).toString());
        localized.putNull("HasChanged");
        label.set("UserLocalizedLabel", localized.deepCopy());
        return label;
    }

    static ObjectNode attribute(TableDefinition table, ColumnDefinition column, Set<String> referenceColumns) {
        String owner = table.logicalName() + "." + column.logicalName();
        ObjectNode node = node(typeName(column.type()), metadataId("attribute", owner));
        node.put("LogicalName", column.logicalName());
        node.put("SchemaName", column.schemaName());
        node.put("EntityLogicalName", table.logicalName());
        node.put("AttributeOf", attributeOf(column, referenceColumns));
        node.put("AttributeType", attributeTypeCode(column.type()));
        node.putObject("AttributeTypeName").put("Value", attributeTypeName(column.type()));
        node.set("DisplayName", label(column.displayName(), owner + "/DisplayName"));
        node.set("Description", label(column.description(), owner + "/Description"));
        ObjectNode required = node.putObject("RequiredLevel");
        required.put("Value", column.requiredLevel().pageName());
        required.put("CanBeChanged", column.requiredLevel() != RequiredLevel.SYSTEM_REQUIRED);
        required.put("ManagedPropertyLogicalName", "canmodifyrequirementlevelsettings");
        node.put("IsValidForCreate", column.validForCreate());
        node.put("IsValidForUpdate", column.validForUpdate());
        node.put("IsValidForRead", column.validForRead());
        node.put("IsPrimaryId", column.logicalName().equals(table.primaryIdAttribute()));
        node.put("IsPrimaryName", column.logicalName().equals(table.primaryNameAttribute()));
        node.put("IsCustomAttribute", false);
        node.put("IsManaged", true);
        node.put("IsLogical", false);
        addTypeProperties(node, table, column, owner);
        return node;
    }

    private static void addTypeProperties(ObjectNode node, TableDefinition table, ColumnDefinition column,
            String owner) {
        switch (column.type()) {
            case STRING -> {
                node.put("MaxLength", column.maxLength());
                node.put("Format", column.format() == null ? "Text" : column.format());
                node.putObject("FormatName").put("Value", column.format() == null ? "Text" : column.format());
            }
            case MEMO -> {
                node.put("MaxLength", column.maxLength());
                node.put("Format", column.format() == null ? "TextArea" : column.format());
            }
            case INTEGER -> {
                putRange(node, column, false);
                node.put("Format", column.format() == null ? "None" : column.format());
            }
            case BIGINT -> putRange(node, column, false);
            case DECIMAL -> {
                putRange(node, column, false);
                node.put("Precision", column.precision());
            }
            case DOUBLE, MONEY -> {
                putRange(node, column, true);
                node.put("Precision", column.precision());
            }
            case DATETIME -> {
                node.put("Format", column.format());
                if (column.dateTimeBehavior() == null) {
                    node.putNull("DateTimeBehavior");
                } else {
                    node.putObject("DateTimeBehavior").put("Value", column.dateTimeBehavior());
                }
            }
            case BOOLEAN -> {
                node.put("DefaultValue", column.defaultValue() != null && column.defaultValue() == 1);
                node.set("OptionSet", booleanOptionSet(table, column, owner));
                node.putNull("GlobalOptionSet");
            }
            case PICKLIST, STATE, STATUS -> {
                node.put("DefaultFormValue", column.defaultValue());
                ObjectNode optionSet = optionSet(table, column, owner);
                node.set("OptionSet", optionSet);
                if (isGlobal(table, column)) {
                    node.set("GlobalOptionSet", optionSet.deepCopy());
                } else {
                    node.putNull("GlobalOptionSet");
                }
            }
            case ENTITYNAME -> {
                node.putNull("DefaultFormValue");
                node.putNull("OptionSet");
                node.putNull("GlobalOptionSet");
            }
            case LOOKUP, OWNER, CUSTOMER -> {
                ArrayNode targets = node.putArray("Targets");
                column.targets().forEach(targets::add);
            }
            case FILE -> node.put("MaxSizeInKB", column.maxSizeInKb());
            case IMAGE -> {
                node.put("MaxSizeInKB", column.maxSizeInKb());
                node.put("IsPrimaryImage", false);
            }
            case MANAGEDPROPERTY -> node.putNull("ManagedPropertyLogicalName");
            case UNIQUEIDENTIFIER, VIRTUAL -> {
                // no properties beyond AttributeMetadata's
            }
        }
    }

    private static void putRange(ObjectNode node, ColumnDefinition column, boolean asDouble) {
        putNumber(node, "MinValue", column.minValue(), asDouble);
        putNumber(node, "MaxValue", column.maxValue(), asDouble);
    }

    private static void putNumber(ObjectNode node, String field, @Nullable BigDecimal value, boolean asDouble) {
        if (value == null) {
            node.putNull(field);
        } else if (asDouble) {
            node.put(field, value.doubleValue());
        } else {
            node.put(field, value);
        }
    }

    /**
     * A choice is global when its option set is not named after its own table: state and status option sets are
     * always local, as in Dataverse.
     */
    static boolean isGlobal(TableDefinition table, ColumnDefinition column) {
        String name = column.optionSetName();
        return column.type() == AttributeType.PICKLIST && name != null
                && !name.startsWith(table.logicalName() + "_");
    }

    static ObjectNode optionSet(TableDefinition table, ColumnDefinition column, String owner) {
        boolean global = isGlobal(table, column);
        String name = column.optionSetName() != null ? column.optionSetName()
                : table.logicalName() + "_" + column.logicalName();
        ObjectNode node = node("OptionSetMetadata", metadataId("optionset", global ? name : owner));
        node.put("Name", name);
        node.set("DisplayName", label(column.displayName(), owner + "/OptionSet/DisplayName"));
        node.set("Description", label(column.description(), owner + "/OptionSet/Description"));
        node.put("IsGlobal", global);
        node.put("IsCustomOptionSet", false);
        node.put("IsManaged", true);
        node.put("OptionSetType", column.type().pageName());
        node.putNull("ParentOptionSetName");
        ArrayNode options = node.putArray("Options");
        for (ChoiceOption option : column.options()) {
            options.add(option(column.type(), option, owner));
        }
        return node;
    }

    private static ObjectNode booleanOptionSet(TableDefinition table, ColumnDefinition column, String owner) {
        String name = column.optionSetName() != null ? column.optionSetName()
                : table.logicalName() + "_" + column.logicalName();
        ObjectNode node = node("BooleanOptionSetMetadata", metadataId("optionset", owner));
        node.put("Name", name);
        node.set("DisplayName", label(column.displayName(), owner + "/OptionSet/DisplayName"));
        node.set("Description", label("", owner + "/OptionSet/Description"));
        node.put("IsGlobal", false);
        node.put("IsCustomOptionSet", false);
        node.put("IsManaged", true);
        node.put("OptionSetType", "Boolean");
        ChoiceOption yes = column.option(1);
        ChoiceOption no = column.option(0);
        node.set("TrueOption", option(AttributeType.BOOLEAN, yes == null ? new ChoiceOption(1, "Yes", null, null,
                null) : yes, owner));
        node.set("FalseOption", option(AttributeType.BOOLEAN, no == null ? new ChoiceOption(0, "No", null, null,
                null) : no, owner));
        return node;
    }

    private static ObjectNode option(AttributeType type, ChoiceOption option, String owner) {
        ObjectNode node = PayloadReader.JSON.createObjectNode();
        String optionOwner = owner + "/Option/" + option.value();
        if (type == AttributeType.STATE) {
            node.put(TYPE, "#" + EdmProvider.NAMESPACE + ".StateOptionMetadata");
        } else if (type == AttributeType.STATUS) {
            node.put(TYPE, "#" + EdmProvider.NAMESPACE + ".StatusOptionMetadata");
        }
        node.put("Value", option.value());
        node.set("Label", label(option.label(), optionOwner + "/Label"));
        node.set("Description", label("", optionOwner + "/Description"));
        node.putNull("Color");
        node.put("IsManaged", true);
        node.putNull("ExternalValue");
        node.putArray("ParentValues");
        node.put("MetadataId", metadataId("option", optionOwner).toString());
        node.putNull("HasChanged");
        if (type == AttributeType.STATE) {
            node.put("DefaultStatus", option.defaultStatus());
            node.put("InvariantName", option.invariantName());
        } else if (type == AttributeType.STATUS) {
            node.put("State", option.state());
            node.putNull("TransitionData");
        }
        return node;
    }

    /** The lookup a {@code <lookup>name}/{@code <lookup>yominame} column describes, as Dataverse's AttributeOf. */
    private static @Nullable String attributeOf(ColumnDefinition column, Set<String> referenceColumns) {
        if (column.type() != AttributeType.STRING) {
            return null;
        }
        String name = column.logicalName();
        for (String suffix : new String[] {"yominame", "name"}) {
            String base = name.endsWith(suffix) ? name.substring(0, name.length() - suffix.length()) : null;
            if (base != null && referenceColumns.contains(base)) {
                return base;
            }
        }
        return null;
    }

    static String typeName(AttributeType type) {
        return switch (type) {
            case UNIQUEIDENTIFIER -> "UniqueIdentifierAttributeMetadata";
            case STRING -> "StringAttributeMetadata";
            case MEMO -> "MemoAttributeMetadata";
            case INTEGER -> "IntegerAttributeMetadata";
            case BIGINT -> "BigIntAttributeMetadata";
            case DECIMAL -> "DecimalAttributeMetadata";
            case DOUBLE -> "DoubleAttributeMetadata";
            case MONEY -> "MoneyAttributeMetadata";
            case BOOLEAN -> "BooleanAttributeMetadata";
            case DATETIME -> "DateTimeAttributeMetadata";
            case PICKLIST -> "PicklistAttributeMetadata";
            case STATE -> "StateAttributeMetadata";
            case STATUS -> "StatusAttributeMetadata";
            case LOOKUP, OWNER, CUSTOMER -> "LookupAttributeMetadata";
            case ENTITYNAME -> "EntityNameAttributeMetadata";
            case FILE -> "FileAttributeMetadata";
            case IMAGE -> "ImageAttributeMetadata";
            case MANAGEDPROPERTY -> "ManagedPropertyAttributeMetadata";
            case VIRTUAL -> "AttributeMetadata";
        };
    }

    /** Dataverse's {@code AttributeTypeCode}: it has no File or Image member, so those columns are Virtual. */
    static String attributeTypeCode(AttributeType type) {
        return type == AttributeType.FILE || type == AttributeType.IMAGE ? "Virtual" : type.pageName();
    }

    static String attributeTypeName(AttributeType type) {
        return type.pageName() + "Type";
    }
}
