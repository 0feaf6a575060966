package io.flowbin.odata;

import io.flowbin.metadata.AttributeType;
import io.flowbin.metadata.Catalog;
import io.flowbin.metadata.ColumnDefinition;
import io.flowbin.metadata.NavigationProperty;
import io.flowbin.metadata.TableDefinition;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.olingo.commons.api.edm.EdmPrimitiveTypeKind;
import org.apache.olingo.commons.api.edm.FullQualifiedName;
import org.apache.olingo.commons.api.edm.provider.CsdlAbstractEdmProvider;
import org.apache.olingo.commons.api.edm.provider.CsdlAction;
import org.apache.olingo.commons.api.edm.provider.CsdlComplexType;
import org.apache.olingo.commons.api.edm.provider.CsdlEntityContainer;
import org.apache.olingo.commons.api.edm.provider.CsdlEntityContainerInfo;
import org.apache.olingo.commons.api.edm.provider.CsdlEntitySet;
import org.apache.olingo.commons.api.edm.provider.CsdlEntityType;
import org.apache.olingo.commons.api.edm.provider.CsdlEnumType;
import org.apache.olingo.commons.api.edm.provider.CsdlFunction;
import org.apache.olingo.commons.api.edm.provider.CsdlFunctionImport;
import org.apache.olingo.commons.api.edm.provider.CsdlNavigationProperty;
import org.apache.olingo.commons.api.edm.provider.CsdlNavigationPropertyBinding;
import org.apache.olingo.commons.api.edm.provider.CsdlProperty;
import org.apache.olingo.commons.api.edm.provider.CsdlPropertyRef;
import org.apache.olingo.commons.api.edm.provider.CsdlReferentialConstraint;
import org.apache.olingo.commons.api.edm.provider.CsdlReturnType;
import org.apache.olingo.commons.api.edm.provider.CsdlSchema;
import org.jspecify.annotations.Nullable;

/**
 * The CSDL of the served tables, derived from the catalog as Dataverse publishes it: namespace
 * {@code Microsoft.Dynamics.CRM} (alias {@code mscrm}), business types derived from the abstract
 * {@code crmbaseentity}, users and teams from the abstract {@code principal} keyed by {@code ownerid}, lookups as
 * computed {@code _x_value} properties with a navigation property each. Built once; immutable after construction.
 */
final class EdmProvider extends CsdlAbstractEdmProvider {
    static final String NAMESPACE = "Microsoft.Dynamics.CRM";
    static final String ALIAS = "mscrm";
    static final String CONTAINER = "System";
    static final FullQualifiedName CONTAINER_NAME = new FullQualifiedName(NAMESPACE, CONTAINER);
    static final FullQualifiedName CRM_BASE_ENTITY = new FullQualifiedName(NAMESPACE, "crmbaseentity");
    static final FullQualifiedName PRINCIPAL = new FullQualifiedName(NAMESPACE, "principal");
    static final FullQualifiedName WHO_AM_I_RESPONSE = new FullQualifiedName(NAMESPACE, "WhoAmIResponse");
    static final FullQualifiedName WHO_AM_I = new FullQualifiedName(NAMESPACE, "WhoAmI");
    private static final Set<String> PRINCIPAL_TABLES = Set.of("systemuser", "team");

    private final Map<FullQualifiedName, CsdlEntityType> entityTypes = new LinkedHashMap<>();
    private final Map<FullQualifiedName, CsdlComplexType> complexTypes = new LinkedHashMap<>();
    private final Map<FullQualifiedName, List<CsdlFunction>> functions = new LinkedHashMap<>();
    private final Map<FullQualifiedName, List<CsdlAction>> actions = new LinkedHashMap<>();
    private final Map<FullQualifiedName, CsdlEnumType> enumTypes = new LinkedHashMap<>();
    private final CsdlEntityContainer container;
    private final CsdlSchema schema;

    EdmProvider(Catalog catalog) {
        entityTypes.put(CRM_BASE_ENTITY, new CsdlEntityType().setName("crmbaseentity").setAbstract(true));
        entityTypes.put(
                PRINCIPAL,
                new CsdlEntityType()
                        .setName("principal")
                        .setAbstract(true)
                        .setBaseType(CRM_BASE_ENTITY)
                        .setKey(List.of(new CsdlPropertyRef().setName("ownerid")))
                        .setProperties(List.of(property("ownerid", EdmPrimitiveTypeKind.Guid))));
        List<CsdlEntitySet> entitySets = new ArrayList<>();
        // the definition types (EntityMetadata, AttributeMetadata…) are part of the same schema, as in Dataverse
        MetadataEdmProvider definitions = new MetadataEdmProvider();
        definitions.entityTypes().forEach(type -> entityTypes.put(typeName(type.getName()), type));
        definitions.complexTypes().forEach(type -> complexTypes.put(typeName(type.getName()), type));
        definitions.enumTypes().forEach(type -> enumTypes.put(typeName(type.getName()), type));
        entitySets.addAll(definitions.entitySets());
        for (TableDefinition table : catalog.tables()) {
            entityTypes.put(typeName(table.logicalName()), entityType(catalog, table));
            entitySets.add(entitySet(catalog, table));
        }
        complexTypes.put(
                WHO_AM_I_RESPONSE,
                new CsdlComplexType()
                        .setName(WHO_AM_I_RESPONSE.getName())
                        .setProperties(List.of(
                                property("BusinessUnitId", EdmPrimitiveTypeKind.Guid),
                                property("UserId", EdmPrimitiveTypeKind.Guid),
                                property("OrganizationId", EdmPrimitiveTypeKind.Guid))));
        functions.put(
                WHO_AM_I,
                List.of(new CsdlFunction()
                        .setName(WHO_AM_I.getName())
                        .setBound(false)
                        .setReturnType(new CsdlReturnType().setType(WHO_AM_I_RESPONSE).setNullable(false))));
        OperationsEdm.complexTypes().forEach(type -> complexTypes.put(typeName(type.getName()), type));
        functions.putAll(OperationsEdm.functions());
        actions.putAll(OperationsEdm.actions());
        List<CsdlFunctionImport> functionImports = new ArrayList<>();
        functionImports.add(new CsdlFunctionImport()
                .setName(WHO_AM_I.getName())
                .setFunction(WHO_AM_I)
                .setIncludeInServiceDocument(false));
        functionImports.addAll(OperationsEdm.functionImports());
        container = new CsdlEntityContainer()
                .setName(CONTAINER)
                .setEntitySets(entitySets)
                .setFunctionImports(functionImports);
        functions.putAll(QueryFunctions.definitions(NAMESPACE));
        List<CsdlFunction> allFunctions = new ArrayList<>();
        functions.values().forEach(allFunctions::addAll);
        List<CsdlAction> allActions = new ArrayList<>();
        actions.values().forEach(allActions::addAll);
        schema = new CsdlSchema()
                .setNamespace(NAMESPACE)
                .setAlias(ALIAS)
                .setEntityTypes(new ArrayList<>(entityTypes.values()))
                .setComplexTypes(new ArrayList<>(complexTypes.values()))
                .setEnumTypes(new ArrayList<>(enumTypes.values()))
                .setFunctions(allFunctions)
                .setActions(allActions)
                .setEntityContainer(container);
    }

    static FullQualifiedName typeName(String logicalName) {
        return new FullQualifiedName(NAMESPACE, logicalName);
    }

    private static CsdlProperty property(String name, EdmPrimitiveTypeKind kind) {
        return new CsdlProperty().setName(name).setType(kind.getFullQualifiedName());
    }

    private static CsdlEntityType entityType(Catalog catalog, TableDefinition table) {
        boolean principal = PRINCIPAL_TABLES.contains(table.logicalName());
        CsdlEntityType type = new CsdlEntityType()
                .setName(table.logicalName())
                .setBaseType(principal ? PRINCIPAL : CRM_BASE_ENTITY);
        if (!principal) {
            type.setKey(List.of(new CsdlPropertyRef().setName(table.primaryIdAttribute())));
        }
        List<CsdlProperty> properties = new ArrayList<>();
        for (ColumnDefinition column : catalog.storedColumns(table)) {
            CsdlProperty property = new CsdlProperty().setName(PropertyNames.of(column)).setType(EdmTypes.name(column));
            if ((column.type() == AttributeType.STRING || column.type() == AttributeType.MEMO)
                    && column.maxLength() != null) {
                property.setMaxLength(column.maxLength());
            }
            if (column.type() == AttributeType.DECIMAL || column.type() == AttributeType.MONEY) {
                property.setScale(column.precision() == null ? 10 : column.precision());
            }
            properties.add(property);
        }
        type.setProperties(properties);
        List<CsdlNavigationProperty> navigation = new ArrayList<>();
        for (NavigationProperty nav : publishedNavigation(catalog, table)) {
            navigation.add(navigationProperty(catalog, nav));
        }
        type.setNavigationProperties(navigation);
        return type;
    }

    /**
     * The navigation properties a table publishes. Dataverse names a file column's relationship after the column
     * ("data"); the property keeps the name, so such a navigation property is left out.
     */
    static List<NavigationProperty> publishedNavigation(Catalog catalog, TableDefinition table) {
        Set<String> propertyNames = new HashSet<>();
        for (ColumnDefinition column : catalog.storedColumns(table)) {
            propertyNames.add(PropertyNames.of(column));
        }
        List<NavigationProperty> published = new ArrayList<>();
        for (NavigationProperty nav : catalog.navigationProperties(table).values()) {
            if (!propertyNames.contains(nav.name())) {
                published.add(nav);
            }
        }
        return published;
    }

    private static CsdlNavigationProperty navigationProperty(Catalog catalog, NavigationProperty nav) {
        FullQualifiedName target = nav.targets().size() == 1 ? typeName(nav.targets().get(0)) : PRINCIPAL;
        CsdlNavigationProperty property = new CsdlNavigationProperty()
                .setName(nav.name())
                .setType(target)
                .setCollection(nav.collection());
        String partner = partnerOf(catalog, nav);
        if (partner != null) {
            property.setPartner(partner);
        }
        if (!nav.collection()) {
            String referenced = nav.targets().size() == 1
                    ? java.util.Objects.requireNonNull(catalog.table(nav.targets().get(0))).primaryIdAttribute()
                    : "ownerid";
            property.setReferentialConstraints(List.of(new CsdlReferentialConstraint()
                    .setProperty(PropertyNames.lookupValue(nav.column()))
                    .setReferencedProperty(referenced)));
        }
        return property;
    }

    private static @Nullable String partnerOf(Catalog catalog, NavigationProperty nav) {
        if (nav.targets().size() != 1) {
            return null;
        }
        TableDefinition other = catalog.table(nav.targets().get(0));
        if (other == null) {
            return null;
        }
        for (NavigationProperty candidate : publishedNavigation(catalog, other)) {
            if (candidate.relationship().equals(nav.relationship()) && candidate.collection() != nav.collection()) {
                return candidate.name();
            }
        }
        return null;
    }

    private static CsdlEntitySet entitySet(Catalog catalog, TableDefinition table) {
        List<CsdlNavigationPropertyBinding> bindings = new ArrayList<>();
        for (NavigationProperty nav : publishedNavigation(catalog, table)) {
            if (nav.targets().size() == 1) {
                TableDefinition target = catalog.table(nav.targets().get(0));
                if (target != null) {
                    bindings.add(new CsdlNavigationPropertyBinding()
                            .setPath(nav.name())
                            .setTarget(target.entitySetName()));
                }
            }
        }
        return new CsdlEntitySet()
                .setName(table.entitySetName())
                .setType(typeName(table.logicalName()))
                .setNavigationPropertyBindings(bindings);
    }

    @Override
    public @Nullable CsdlEntityType getEntityType(FullQualifiedName name) {
        return entityTypes.get(name);
    }

    @Override
    public @Nullable CsdlComplexType getComplexType(FullQualifiedName name) {
        return complexTypes.get(name);
    }

    @Override
    public @Nullable CsdlEnumType getEnumType(FullQualifiedName name) {
        return enumTypes.get(name);
    }

    @Override
    public @Nullable List<CsdlFunction> getFunctions(FullQualifiedName name) {
        return functions.get(name);
    }

    @Override
    public @Nullable List<CsdlAction> getActions(FullQualifiedName name) {
        return actions.get(name);
    }

    @Override
    public @Nullable CsdlEntitySet getEntitySet(FullQualifiedName containerName, String name) {
        return CONTAINER_NAME.equals(containerName) ? container.getEntitySet(name) : null;
    }

    @Override
    public @Nullable CsdlFunctionImport getFunctionImport(FullQualifiedName containerName, String name) {
        return CONTAINER_NAME.equals(containerName) ? container.getFunctionImport(name) : null;
    }

    @Override
    public CsdlEntityContainerInfo getEntityContainerInfo(@Nullable FullQualifiedName name) {
        return new CsdlEntityContainerInfo().setContainerName(CONTAINER_NAME);
    }

    @Override
    public CsdlEntityContainer getEntityContainer() {
        return container;
    }

    @Override
    public List<CsdlSchema> getSchemas() {
        return List.of(schema);
    }
}
