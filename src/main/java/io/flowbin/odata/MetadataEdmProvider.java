package io.flowbin.odata;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.olingo.commons.api.edm.EdmPrimitiveTypeKind;
import org.apache.olingo.commons.api.edm.FullQualifiedName;
import org.apache.olingo.commons.api.edm.provider.CsdlAbstractEdmProvider;
import org.apache.olingo.commons.api.edm.provider.CsdlComplexType;
import org.apache.olingo.commons.api.edm.provider.CsdlEntityContainer;
import org.apache.olingo.commons.api.edm.provider.CsdlEntityContainerInfo;
import org.apache.olingo.commons.api.edm.provider.CsdlEntitySet;
import org.apache.olingo.commons.api.edm.provider.CsdlEntityType;
import org.apache.olingo.commons.api.edm.provider.CsdlEnumMember;
import org.apache.olingo.commons.api.edm.provider.CsdlEnumType;
import org.apache.olingo.commons.api.edm.provider.CsdlNavigationProperty;
import org.apache.olingo.commons.api.edm.provider.CsdlProperty;
import org.apache.olingo.commons.api.edm.provider.CsdlPropertyRef;
import org.apache.olingo.commons.api.edm.provider.CsdlSchema;
import org.jspecify.annotations.Nullable;

/**
 * The CSDL of the definition types Dataverse serves under {@code EntityDefinitions}, {@code RelationshipDefinitions}
 * and {@code GlobalOptionSetDefinitions}: {@code MetadataBase} keyed by {@code MetadataId}, the entity, attribute,
 * option set and relationship types with their derived types, labels, managed properties and enums, all in namespace
 * {@code Microsoft.Dynamics.CRM}. The type lists are exposed so that {@code $metadata} can include them. Built once;
 * immutable after construction.
 */
final class MetadataEdmProvider extends CsdlAbstractEdmProvider {
    static final String ENTITY_DEFINITIONS = "EntityDefinitions";
    static final String RELATIONSHIP_DEFINITIONS = "RelationshipDefinitions";
    static final String GLOBAL_OPTION_SET_DEFINITIONS = "GlobalOptionSetDefinitions";

    private final Map<FullQualifiedName, CsdlEntityType> entityTypes = new LinkedHashMap<>();
    private final Map<FullQualifiedName, CsdlComplexType> complexTypes = new LinkedHashMap<>();
    private final Map<FullQualifiedName, CsdlEnumType> enumTypes = new LinkedHashMap<>();
    private final CsdlEntityContainer container;

    MetadataEdmProvider() {
        enumType("OwnershipTypes", "None", 0, "UserOwned", 1, "TeamOwned", 2, "BusinessOwned", 4,
                "OrganizationOwned", 8, "BusinessParented", 16);
        enumType("AttributeRequiredLevel", "None", 0, "SystemRequired", 1, "ApplicationRequired", 2,
                "Recommended", 3);
        enumType("AttributeTypeCode", "Boolean", 0, "Customer", 1, "DateTime", 2, "Decimal", 3, "Double", 4,
                "Integer", 5, "Lookup", 6, "Memo", 7, "Money", 8, "Owner", 9, "PartyList", 10, "Picklist", 11,
                "State", 12, "Status", 13, "String", 14, "Uniqueidentifier", 15, "CalendarRules", 16, "Virtual", 17,
                "BigInt", 18, "ManagedProperty", 19, "EntityName", 20);
        enumType("OptionSetType", "Picklist", 0, "State", 1, "Status", 2, "Boolean", 3, "MultiSelectPicklist", 4);
        enumType("RelationshipType", "OneToManyRelationship", 0, "ManyToManyRelationship", 1);
        enumType("CascadeType", "NoCascade", 0, "Cascade", 1, "Active", 2, "UserOwned", 3, "RemoveLink", 4,
                "Restrict", 5);
        enumType("StringFormat", "Email", 0, "Text", 1, "TextArea", 2, "Url", 3, "TickerSymbol", 4,
                "PhoneticGuide", 5, "VersionNumber", 6, "Phone", 7, "Json", 8, "RichText", 9);
        enumType("IntegerFormat", "None", 0, "Duration", 1, "TimeZone", 2, "Language", 3, "Locale", 4);
        enumType("DateTimeFormat", "DateOnly", 0, "DateAndTime", 1);

        complexType("LocalizedLabel", null, "Label:String", "LanguageCode:Int32", "IsManaged:Boolean",
                "MetadataId:Guid", "HasChanged:Boolean");
        complexType("Label", null, "LocalizedLabels:*LocalizedLabel", "UserLocalizedLabel:LocalizedLabel");
        complexType("BooleanManagedProperty", null, "Value:Boolean", "CanBeChanged:Boolean",
                "ManagedPropertyLogicalName:String");
        complexType("AttributeRequiredLevelManagedProperty", null, "Value:AttributeRequiredLevel",
                "CanBeChanged:Boolean", "ManagedPropertyLogicalName:String");
        complexType("AttributeTypeDisplayName", null, "Value:String");
        complexType("StringFormatName", null, "Value:String");
        complexType("DateTimeBehavior", null, "Value:String");
        complexType("OptionMetadata", null, "Value:Int32", "Label:Label", "Description:Label", "Color:String",
                "IsManaged:Boolean", "ExternalValue:String", "ParentValues:*Int32", "MetadataId:Guid",
                "HasChanged:Boolean");
        complexType("StateOptionMetadata", "OptionMetadata", "DefaultStatus:Int32", "InvariantName:String");
        complexType("StatusOptionMetadata", "OptionMetadata", "State:Int32", "TransitionData:String");
        complexType("CascadeConfiguration", null, "Assign:CascadeType", "Delete:CascadeType", "Archive:CascadeType",
                "Merge:CascadeType", "Reparent:CascadeType", "Share:CascadeType", "Unshare:CascadeType",
                "RollupView:CascadeType");

        CsdlEntityType metadataBase = entityType("MetadataBase", null, true, "MetadataId:Guid",
                "HasChanged:Boolean").setKey(List.of(new CsdlPropertyRef().setName("MetadataId")));
        metadataBase.getProperty("MetadataId").setNullable(false);
        entityType("EntityMetadata", "MetadataBase", false, "LogicalName:String", "SchemaName:String",
                "EntitySetName:String", "LogicalCollectionName:String", "PrimaryIdAttribute:String",
                "PrimaryNameAttribute:String", "OwnershipType:OwnershipTypes",
                "IsOptimisticConcurrencyEnabled:Boolean", "TableType:String", "DisplayName:Label",
                "DisplayCollectionName:Label", "Description:Label", "IsCustomEntity:Boolean", "IsManaged:Boolean",
                "IsActivity:Boolean", "IsIntersect:Boolean", "IsLogicalEntity:Boolean")
                .setNavigationProperties(List.of(
                        navigation("Attributes", "AttributeMetadata", true),
                        navigation("OneToManyRelationships", "OneToManyRelationshipMetadata", true),
                        navigation("ManyToOneRelationships", "OneToManyRelationshipMetadata", true),
                        navigation("ManyToManyRelationships", "ManyToManyRelationshipMetadata", true)));
        entityType("AttributeMetadata", "MetadataBase", false, "LogicalName:String", "SchemaName:String",
                "EntityLogicalName:String", "AttributeOf:String", "AttributeType:AttributeTypeCode",
                "AttributeTypeName:AttributeTypeDisplayName", "DisplayName:Label", "Description:Label",
                "RequiredLevel:AttributeRequiredLevelManagedProperty", "IsValidForCreate:Boolean",
                "IsValidForUpdate:Boolean", "IsValidForRead:Boolean", "IsPrimaryId:Boolean", "IsPrimaryName:Boolean",
                "IsCustomAttribute:Boolean", "IsManaged:Boolean", "IsLogical:Boolean");
        entityType("StringAttributeMetadata", "AttributeMetadata", false, "MaxLength:Int32", "Format:StringFormat",
                "FormatName:StringFormatName");
        entityType("MemoAttributeMetadata", "AttributeMetadata", false, "MaxLength:Int32", "Format:StringFormat");
        entityType("IntegerAttributeMetadata", "AttributeMetadata", false, "MinValue:Int32", "MaxValue:Int32",
                "Format:IntegerFormat");
        entityType("BigIntAttributeMetadata", "AttributeMetadata", false, "MinValue:Int64", "MaxValue:Int64");
        entityType("DecimalAttributeMetadata", "AttributeMetadata", false, "MinValue:Decimal", "MaxValue:Decimal",
                "Precision:Int32");
        entityType("DoubleAttributeMetadata", "AttributeMetadata", false, "MinValue:Double", "MaxValue:Double",
                "Precision:Int32");
        entityType("MoneyAttributeMetadata", "AttributeMetadata", false, "MinValue:Double", "MaxValue:Double",
                "Precision:Int32");
        entityType("BooleanAttributeMetadata", "AttributeMetadata", false, "DefaultValue:Boolean")
                .setNavigationProperties(List.of(
                        navigation("OptionSet", "BooleanOptionSetMetadata", false),
                        navigation("GlobalOptionSet", "BooleanOptionSetMetadata", false)));
        entityType("DateTimeAttributeMetadata", "AttributeMetadata", false, "Format:DateTimeFormat",
                "DateTimeBehavior:DateTimeBehavior");
        entityType("EnumAttributeMetadata", "AttributeMetadata", true, "DefaultFormValue:Int32")
                .setNavigationProperties(List.of(
                        navigation("OptionSet", "OptionSetMetadata", false),
                        navigation("GlobalOptionSet", "OptionSetMetadata", false)));
        entityType("PicklistAttributeMetadata", "EnumAttributeMetadata", false);
        entityType("StateAttributeMetadata", "EnumAttributeMetadata", false);
        entityType("StatusAttributeMetadata", "EnumAttributeMetadata", false);
        entityType("EntityNameAttributeMetadata", "EnumAttributeMetadata", false);
        entityType("LookupAttributeMetadata", "AttributeMetadata", false, "Targets:*String");
        entityType("UniqueIdentifierAttributeMetadata", "AttributeMetadata", false);
        entityType("FileAttributeMetadata", "AttributeMetadata", false, "MaxSizeInKB:Int32");
        entityType("ImageAttributeMetadata", "AttributeMetadata", false, "MaxSizeInKB:Int32",
                "IsPrimaryImage:Boolean");
        entityType("ManagedPropertyAttributeMetadata", "AttributeMetadata", false,
                "ManagedPropertyLogicalName:String");

        entityType("OptionSetMetadataBase", "MetadataBase", true, "Name:String", "DisplayName:Label",
                "Description:Label", "IsGlobal:Boolean", "IsCustomOptionSet:Boolean", "IsManaged:Boolean",
                "OptionSetType:OptionSetType");
        entityType("OptionSetMetadata", "OptionSetMetadataBase", false, "Options:*OptionMetadata",
                "ParentOptionSetName:String");
        entityType("BooleanOptionSetMetadata", "OptionSetMetadataBase", false, "TrueOption:OptionMetadata",
                "FalseOption:OptionMetadata");

        entityType("RelationshipMetadataBase", "MetadataBase", true, "SchemaName:String",
                "RelationshipType:RelationshipType", "IsCustomRelationship:Boolean", "IsManaged:Boolean",
                "IsValidForAdvancedFind:Boolean");
        entityType("OneToManyRelationshipMetadata", "RelationshipMetadataBase", false, "ReferencedAttribute:String",
                "ReferencedEntity:String", "ReferencingAttribute:String", "ReferencingEntity:String",
                "ReferencedEntityNavigationPropertyName:String", "ReferencingEntityNavigationPropertyName:String",
                "IsHierarchical:Boolean", "CascadeConfiguration:CascadeConfiguration");
        entityType("ManyToManyRelationshipMetadata", "RelationshipMetadataBase", false, "Entity1LogicalName:String",
                "Entity1IntersectAttribute:String", "Entity1NavigationPropertyName:String",
                "Entity2LogicalName:String", "Entity2IntersectAttribute:String",
                "Entity2NavigationPropertyName:String", "IntersectEntityName:String");

        container = new CsdlEntityContainer()
                .setName(EdmProvider.CONTAINER)
                .setEntitySets(List.of(
                        entitySet(ENTITY_DEFINITIONS, "EntityMetadata"),
                        entitySet(RELATIONSHIP_DEFINITIONS, "RelationshipMetadataBase"),
                        entitySet(GLOBAL_OPTION_SET_DEFINITIONS, "OptionSetMetadataBase")));
    }

    static FullQualifiedName name(String typeName) {
        return new FullQualifiedName(EdmProvider.NAMESPACE, typeName);
    }

    /** The entity types, for merging into the service's CSDL document. */
    List<CsdlEntityType> entityTypes() {
        return List.copyOf(entityTypes.values());
    }

    /** The complex types, for merging into the service's CSDL document. */
    List<CsdlComplexType> complexTypes() {
        return List.copyOf(complexTypes.values());
    }

    /** The enum types, for merging into the service's CSDL document. */
    List<CsdlEnumType> enumTypes() {
        return List.copyOf(enumTypes.values());
    }

    /** The three definition entity sets, for merging into the service's entity container. */
    List<CsdlEntitySet> entitySets() {
        return List.copyOf(container.getEntitySets());
    }

    private void enumType(String typeName, Object... membersAndValues) {
        List<CsdlEnumMember> members = new ArrayList<>();
        for (int i = 0; i < membersAndValues.length; i += 2) {
            members.add(new CsdlEnumMember()
                    .setName((String) membersAndValues[i])
                    .setValue(String.valueOf(membersAndValues[i + 1])));
        }
        enumTypes.put(name(typeName), new CsdlEnumType().setName(typeName).setMembers(members));
    }

    private void complexType(String typeName, @Nullable String baseType, String... properties) {
        CsdlComplexType type = new CsdlComplexType().setName(typeName).setProperties(properties(properties));
        if (baseType != null) {
            type.setBaseType(name(baseType));
        }
        complexTypes.put(name(typeName), type);
    }

    private CsdlEntityType entityType(String typeName, @Nullable String baseType, boolean isAbstract,
            String... properties) {
        CsdlEntityType type = new CsdlEntityType()
                .setName(typeName)
                .setAbstract(isAbstract)
                .setProperties(properties(properties));
        if (baseType != null) {
            type.setBaseType(name(baseType));
        }
        entityTypes.put(name(typeName), type);
        return type;
    }

    /** Properties written as {@code Name:Type}; a {@code *} before the type makes it a collection. */
    private static List<CsdlProperty> properties(String... specs) {
        List<CsdlProperty> properties = new ArrayList<>();
        for (String spec : specs) {
            String propertyName = spec.substring(0, spec.indexOf(':'));
            String typeText = spec.substring(spec.indexOf(':') + 1);
            boolean collection = typeText.startsWith("*");
            String typeName = collection ? typeText.substring(1) : typeText;
            CsdlProperty property = new CsdlProperty()
                    .setName(propertyName)
                    .setType(typeOf(typeName))
                    .setCollection(collection);
            properties.add(property);
        }
        return properties;
    }

    private static FullQualifiedName typeOf(String typeName) {
        for (EdmPrimitiveTypeKind kind : EdmPrimitiveTypeKind.values()) {
            if (kind.name().equals(typeName)) {
                return kind.getFullQualifiedName();
            }
        }
        return name(typeName);
    }

    private static CsdlNavigationProperty navigation(String propertyName, String typeName, boolean collection) {
        return new CsdlNavigationProperty().setName(propertyName).setType(name(typeName)).setCollection(collection);
    }

    private static CsdlEntitySet entitySet(String setName, String typeName) {
        return new CsdlEntitySet().setName(setName).setType(name(typeName));
    }

    @Override
    public @Nullable CsdlEntityType getEntityType(FullQualifiedName typeName) {
        return entityTypes.get(typeName);
    }

    @Override
    public @Nullable CsdlComplexType getComplexType(FullQualifiedName typeName) {
        return complexTypes.get(typeName);
    }

    @Override
    public @Nullable CsdlEnumType getEnumType(FullQualifiedName typeName) {
        return enumTypes.get(typeName);
    }

    @Override
    public @Nullable CsdlEntitySet getEntitySet(FullQualifiedName containerName, String setName) {
        return EdmProvider.CONTAINER_NAME.equals(containerName) ? container.getEntitySet(setName) : null;
    }

    @Override
    public CsdlEntityContainerInfo getEntityContainerInfo(@Nullable FullQualifiedName containerName) {
        return new CsdlEntityContainerInfo().setContainerName(EdmProvider.CONTAINER_NAME);
    }

    @Override
    public CsdlEntityContainer getEntityContainer() {
        return container;
    }

    @Override
    public List<CsdlSchema> getSchemas() {
        return List.of(new CsdlSchema()
                .setNamespace(EdmProvider.NAMESPACE)
                .setAlias(EdmProvider.ALIAS)
                .setEnumTypes(enumTypes())
                .setComplexTypes(complexTypes())
                .setEntityTypes(entityTypes())
                .setEntityContainer(container));
    }
}
