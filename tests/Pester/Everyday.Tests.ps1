# An admin's everyday input: clearing fields, names where ids are asked, WeCom's own words, and -WhatIf that
# tells what the real run will do. Each Describe has its own sample corp served over loopback HTTP.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Import-Module $ModulePath -Force

    # What -WhatIf and -Confirm write to the host, from a transcript.
    function Get-HostText([scriptblock] $Command) {
        $path = Join-Path ([IO.Path]::GetTempPath()) "wecom-host-$([guid]::NewGuid()).txt"
        Start-Transcript -Path $path | Out-Null
        try { & $Command | Out-Null } finally { Stop-Transcript | Out-Null }
        try { Get-Content $path -Raw } finally { Remove-Item $path }
    }
}

AfterAll {
    if ($script:server) { Stop-TestSandboxServer $script:server }
}

Describe 'Clearing fields' -Tag CI {
    BeforeAll { Connect-FreshCorp }

    It 'clears the text fields named by -Clear and leaves the others' {
        Set-WeComUser LiSi -Clear Position, Telephone
        $user = Get-WeComUser LiSi
        $user.Position | Should -BeNullOrEmpty
        $user.Telephone | Should -BeNullOrEmpty
        $user.Address | Should -Be '广州市海珠区新港中路' -Because 'only the fields named are cleared'
        $user.Mobile | Should -Not -BeNullOrEmpty
    }

    It 'leaves a field unchanged for an empty value or a blank cell' {
        'UserId,Position,Telephone', 'WangWu,,' | ConvertFrom-Csv | Set-WeComUser -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'NothingToChange,*'
        (Get-WeComUser WangWu).Position | Should -Be '后台工程师'
    }

    It 'refuses a field that is both given and cleared' {
        Set-WeComUser ZhaoLiu -Position 架构师 -Clear Position -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].Exception.Message | Should -Match 'both given and cleared'
        (Get-WeComUser ZhaoLiu).Position | Should -Be '后台工程师'
    }

    It 'says under -WhatIf that an empty value changes nothing' {
        Set-WeComUser LiSi -Position '' -WhatIf -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].Exception.Message | Should -Match "User 'LiSi': nothing to change"
        Set-WeComDepartment 5 -NameEn '' -WhatIf -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].Exception.Message | Should -Match 'nothing to change'
    }

    It 'shows under -WhatIf which fields change' {
        $shown = Get-HostText { Set-WeComUser ZhaoLiu -Position 架构师 -Clear Telephone -WhatIf }
        $shown | Should -Match 'ZhaoLiu: position = 架构师, telephone cleared'
        (Get-WeComUser ZhaoLiu).Telephone | Should -Not -BeNullOrEmpty
    }

    It 'clears a department''s English name' {
        Set-WeComDepartment 2 -Clear NameEn
        (Get-WeComDepartment -Id 2).NameEn | Should -BeNullOrEmpty
        (Get-WeComDepartment -Id 3).NameEn | Should -Be 'WeChat'
    }
}

Describe 'Names where ids are asked' -Tag CI {
    BeforeAll { Connect-FreshCorp }

    It 'takes department names and full paths in CSV cells' {
        'UserId,Department', 'WangWu,邮箱后台组;/广州研发中心/测试部' | ConvertFrom-Csv | Set-WeComUser
        (Get-WeComUser WangWu).Department | Should -Be @(5, 10)
    }

    It 'takes department names in -Department, -MainDepartment and -ParentId' {
        Set-WeComUser ZhaoLiu -Department 邮箱后台组, 测试部 -MainDepartment 测试部
        (Get-WeComUser ZhaoLiu).MainDepartment | Should -Be 10
        $made = New-WeComDepartment 运维组 -ParentId /广州研发中心/企业微信产品部
        $made.ParentId | Should -Be 4
        Get-WeComDepartment -Name 测试部 | Get-WeComUser | ForEach-Object UserId | Should -Contain 'ZhaoLiu'
    }

    It 'takes a tag name for -TagId' {
        Add-WeComTagUser -TagId 值班 -UserId LiSi -DepartmentId 邮箱前端组
        (Get-WeComTagMember -TagId 3).UserId | Should -Contain 'LiSi'
        (Get-WeComTagMember -TagId 3 -MemberType Department).DepartmentId | Should -Be 6
    }

    It 'reports an unknown name by its value, and changes nothing for that row' {
        'UserId,Department', 'SunQi,销售部', 'WuJiu,测试部' | ConvertFrom-Csv | Set-WeComUser -ErrorVariable err -ErrorAction SilentlyContinue
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeExactly 'DepartmentNotFound,WeComPS.Commands.SetWeComUserCommand'
        $err[0].Exception.Message | Should -Match "User 'SunQi'.*'销售部'"
        (Get-WeComUser SunQi).Department | Should -Be @(5, 8)
        (Get-WeComUser WuJiu).Department | Should -Be 10
        Add-WeComTagUser -TagId 无此标签 -UserId LiSi -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeExactly 'TagNotFound,WeComPS.Commands.AddWeComTagUserCommand'
        $err[0].Exception.Message | Should -Match '无此标签'
    }

    It 'takes names and full paths wherever a department or a tag id is read' {
        (Get-WeComUser -DepartmentId /广州研发中心/测试部).UserId | Should -Contain 'HeSi'
        (Get-WeComUser -DepartmentId 广州研发中心 -Recurse).UserId | Should -Contain 'HeSi'
        (Get-WeComDepartment 邮箱后台组, 4).Id | Should -Be @(5, 4)
        (Get-WeComDepartment -Id 企业微信产品部 -Recurse).Id | Should -Contain 8
        (Get-WeComTagMember -TagId 技术委员会 -MemberType Department).DepartmentId | Should -Be 8
        (Get-WeComTag -TagId 技术委员会).TagId | Should -Be 1
        New-WeComDepartment 临时组 -ParentId 邮箱产品部 | Out-Null
        Remove-WeComDepartment /广州研发中心/邮箱产品部/临时组 -Confirm:$false
        Get-WeComDepartment -Name 临时组 | Should -BeNullOrEmpty
        $said = Get-HostText {
            Set-WeComDepartment /广州研发中心/测试部 -ParentId 企业微信产品部 -WhatIf
            Remove-WeComTagUser -TagId 技术委员会 -UserId WangWu -WhatIf
            Remove-WeComTag 技术委员会 -WhatIf
            Set-WeComTag 技术委员会 -Name 架构委员会 -WhatIf
        }
        $said | Should -Match '"Update department" on target "10 测试部 \(under 4 企业微信产品部\)"'
        $said | Should -Match '"Remove from tag 1 技术委员会" on target "user WangWu \(王五\)"'
        $said | Should -Match '"Remove tag" on target "tag 1 技术委员会"'
        $said | Should -Match '"Rename to ''架构委员会''" on target "tag 1 技术委员会"'
    }

    It 'reports an unknown name where an id is read, and sends nothing for it' {
        Get-WeComUser -DepartmentId 无此部门 -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty -Because 'an unknown department is no "every member"'
        $err[0].FullyQualifiedErrorId | Should -BeExactly 'DepartmentNotFound,WeComPS.Commands.GetWeComUserCommand'
        $err[0].Exception.Message | Should -Match '无此部门'
        Get-WeComDepartment 无此部门, 5 -ErrorVariable err -ErrorAction SilentlyContinue | ForEach-Object Id | Should -Be 5
        $err[0].FullyQualifiedErrorId | Should -BeExactly 'DepartmentNotFound,WeComPS.Commands.GetWeComDepartmentCommand'
        Remove-WeComDepartment 无此部门 -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].Exception.Message | Should -Match '无此部门'
        Get-WeComTagMember -TagId 无此标签, 1 -ErrorVariable err -ErrorAction SilentlyContinue | Should -Not -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeExactly 'TagNotFound,WeComPS.Commands.GetWeComTagMemberCommand'
        Remove-WeComTag 无此标签 -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].Exception.Message | Should -Match '无此标签'
        (Get-WeComTag).Count | Should -Be 3
    }

    It 'reports an ambiguous name with the departments it could mean' {
        New-WeComDepartment 测试部 -ParentId 2 | Out-Null
        Set-WeComUser XiaoLiu -Department 测试部 -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeExactly 'AmbiguousDepartmentName,WeComPS.Commands.SetWeComUserCommand'
        $err[0].Exception.Message | Should -Match "2 departments are named '测试部'"
        $err[0].Exception.Message | Should -Match '10 /广州研发中心/测试部\b'
        $err[0].Exception.Message | Should -Match '/广州研发中心/邮箱产品部/测试部'
        Set-WeComUser XiaoLiu -Department /广州研发中心/邮箱产品部/测试部
        (Get-WeComUser XiaoLiu).Department | Should -Not -Be 10
    }
}

Describe 'WeCom''s own words' -Tag CI {
    BeforeAll { Connect-FreshCorp }

    It 'reads 男/女 and 是/否 as the import template writes them' {
        'UserId,Gender,Department,IsLeaderInDept', 'WangWu,女,5;8,是;否', 'ZhaoLiu,男,5,0' | ConvertFrom-Csv | Set-WeComUser
        $wang = Get-WeComUser WangWu
        $wang.Gender | Should -Be ([WeComPS.WeComGender]::Female)
        $wang.IsLeaderInDept | Should -Be @($true, $false)
        (Get-WeComUser ZhaoLiu).Gender | Should -Be ([WeComPS.WeComGender]::Male)
    }

    It 'names the row''s userid when a cell does not convert, and goes on with the others' {
        'UserId,Gender,Position', 'SunQi,未知,架构组长', 'ZhouBa,女,前端组长' | ConvertFrom-Csv |
            Set-WeComUser -ErrorVariable err -ErrorAction SilentlyContinue
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeExactly 'InvalidFieldValue,WeComPS.Commands.SetWeComUserCommand'
        $err[0].Exception.Message | Should -Match "User 'SunQi': Gender: '未知'"
        (Get-WeComUser SunQi).Position | Should -Be '架构师'
        (Get-WeComUser ZhouBa).Position | Should -Be '前端组长'
    }

    It 'stops the command for a value on the command line that does not convert' {
        { Set-WeComUser SunQi -IsLeaderInDept 也许 -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidFieldValue,WeComPS.Commands.SetWeComUserCommand'
    }
}

Describe 'Columns that match nothing' -Tag CI {
    BeforeAll { Connect-FreshCorp }

    It 'warns once per command about the columns no parameter takes, and changes the rest' {
        $rows = 'UserId,Position,mobile phone,E-mail,Dept', 'LiSi,总监,1,a@example.com,5', 'WangWu,架构师,2,b@example.com,5' | ConvertFrom-Csv
        $rows | Set-WeComUser -Confirm:$false -WarningVariable warned -WarningAction SilentlyContinue
        $warned.Count | Should -Be 1
        $warned[0].Message | Should -BeLike "*'mobile phone', 'E-mail', 'Dept' match no parameter of Set-WeComUser*"
        (Get-WeComUser -UserId LiSi).Position | Should -Be '总监'
        [pscustomobject]@{ Id = 10; Name = '测试部'; Budget = 1 } | Set-WeComDepartment -WhatIf -WarningVariable warned -WarningAction SilentlyContinue
        $warned[0].Message | Should -BeLike "*'Budget' match no parameter of Set-WeComDepartment*"
        Get-WeComUser -UserId LiSi | Set-WeComUser -Position 总监 -WhatIf -WarningVariable warned -WarningAction SilentlyContinue
        $warned | Should -BeNullOrEmpty -Because 'a record read from WeCom is no row of columns'
    }

    It 'warns in New-WeComUser and Sync-WeComUser too' {
        $rows = 'UserId,Name,Mobile,Dept', 'col.a,甲,13900000081,5', 'col.b,乙,13900000082,5' | ConvertFrom-Csv
        $rows | New-WeComUser -WhatIf -WarningVariable warned -WarningAction SilentlyContinue
        $warned.Count | Should -Be 1
        $warned[0].Message | Should -BeLike "*'Dept' match no parameter of New-WeComUser*"
        $rows | Sync-WeComUser -WhatIf -WarningVariable warned -WarningAction SilentlyContinue
        $warned.Count | Should -Be 1
        $warned[0].Message | Should -BeLike "*'Dept' match no parameter of Sync-WeComUser*"
    }

    It 'says so for a row without a userid column, and goes on with the others' {
        $rows = @('User ID,Name,Mobile', 'col.c,丙,13900000083' | ConvertFrom-Csv)
        $rows += [pscustomobject]@{ UserId = 'col.d'; Name = '丁'; Mobile = '13900000084' }
        $created = $rows | New-WeComUser -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        $created.UserId | Should -Be 'col.d'
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeExactly 'UserIdMissing,WeComPS.Commands.NewWeComUserCommand'
        $err[0].Exception.Message | Should -BeLike "*no UserId column (its columns: 'User ID', 'Name', 'Mobile')*"
        'Position', '总监' | ConvertFrom-Csv | Set-WeComUser -WhatIf -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeExactly 'UserIdMissing,WeComPS.Commands.SetWeComUserCommand'
        'UserId,Name', ',戊', 'WangWu,王五' | ConvertFrom-Csv | Sync-WeComUser -WhatIf -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].Exception.Message | Should -BeLike "*UserId is blank*"
    }
}

Describe '-WhatIf that tells the truth' -Tag CI {
    BeforeAll { Connect-FreshCorp }

    It 'finds an unknown department before New-WeComUser -WhatIf shows the create' {
        $shown = Get-HostText {
            'UserId,Name,Mobile,Department', 'new.hire,新人,13900000001,99' | ConvertFrom-Csv |
                New-WeComUser -WhatIf -ErrorVariable script:err -ErrorAction SilentlyContinue
        }
        $shown | Should -Not -Match 'new.hire'
        $err = $script:err
        $err[0].FullyQualifiedErrorId | Should -BeExactly 'DepartmentNotFound,WeComPS.Commands.NewWeComUserCommand'
        $err[0].Exception.Message | Should -Match "User 'new.hire': department 99 does not exist"
    }

    It 'says which departments still have members, and names the one it would remove' {
        New-WeComDepartment 空部门 -ParentId 4 -Id 50 | Out-Null
        $shown = Get-HostText { Remove-WeComDepartment 8, 50 -WhatIf -ErrorVariable script:err -ErrorAction SilentlyContinue }
        $script:err.Count | Should -Be 1
        $err = $script:err
        $err[0].FullyQualifiedErrorId | Should -BeExactly 'DepartmentHasMembers,WeComPS.Commands.RemoveWeComDepartmentCommand'
        $err[0].Exception.Message | Should -Match 'Department 8 基础架构组 still has 4 members.*Get-WeComUser -DepartmentId 8'
        $shown | Should -Match 'department 50 空部门'
        $shown | Should -Not -Match 'department 8'
    }

    It 'sends nothing for a department with members and removes the empty one' {
        Remove-WeComDepartment 8, 50 -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeExactly 'DepartmentHasMembers,WeComPS.Commands.RemoveWeComDepartmentCommand'
        (Get-WeComDepartment).Id | Should -Contain 8
        (Get-WeComDepartment).Id | Should -Not -Contain 50
    }

    It 'names the members it would remove or disable' {
        $shown = Get-HostText { Remove-WeComUser LiSi, WangWu -WhatIf; Disable-WeComUser ZhaoLiu -WhatIf }
        $shown | Should -Match '"LiSi \(李四\)"'
        $shown | Should -Match '"WangWu \(王五\)"'
        $shown | Should -Match '"ZhaoLiu \(赵六\)"'
        (Get-WeComUser LiSi).Status | Should -Be 'Active'
    }

    It 'names the parent of a new department' {
        Get-HostText { New-WeComDepartment 新组 -ParentId 5 -WhatIf } | Should -Match '新组 \(under 5 邮箱后台组\)'
    }
}

Describe 'Output that survives the pipeline' -Tag CI {
    BeforeAll { Connect-FreshCorp }

    It 'exports members to CSV cells the cmdlets read back' {
        $path = Join-Path $TestDrive 'members.csv'
        Get-WeComUser -DepartmentId 5 | Export-Csv $path -NoTypeInformation -Encoding utf8
        $rows = Import-Csv $path
        $sun = $rows | Where-Object UserId -EQ 'SunQi'
        $sun.Department | Should -BeExactly '5;8'
        $sun.IsLeaderInDept | Should -BeExactly 'False;False'
        $sun.ExtAttr | Should -BeExactly '工号=E1005'
        Get-Content $path -Raw | Should -Not -Match 'System\.'

        $sun.Position = '首席架构师'
        $sun.Department = '8;5'
        $sun.Order = '1;2'
        $sun.IsLeaderInDept = '1;0'
        $sun.MainDepartment = '8'
        $sun | Set-WeComUser
        $after = Get-WeComUser SunQi
        $after.Position | Should -Be '首席架构师'
        $after.Department | Should -Be @(8, 5)
        $after.IsLeaderInDept | Should -Be @($true, $false)
    }

    It 'keeps typed lists on the objects' {
        $user = Get-WeComUser SunQi
        $user.Department.Count | Should -Be 2
        $user.Department[0] | Should -BeOfType [int]
        ($user | ConvertTo-Json | ConvertFrom-Json).Department | Should -Be @(8, 5)
        ($user | ConvertTo-Json | ConvertFrom-Json).ExtAttr.'工号' | Should -Be 'E1005'
        Get-WeComUser -DepartmentId $user.Department | Should -Not -BeNullOrEmpty
    }

    It 'exports jobs, job results and journal entries to readable cells' {
        $job = 'UserId,Name,Mobile,Department', 'csv.job,表格,13900000091,5' | ConvertFrom-Csv | Sync-WeComUser -NoWait -Confirm:$false 6>$null
        $null = $job | Wait-WeComJob
        $cells = Get-WeComJob -JobId $job.JobId | ConvertTo-Csv | ConvertFrom-Csv
        $cells.Results | Should -BeExactly '1 succeeded, 0 failed'
        $cells.Plan | Should -BeExactly 'SyncUser of 1 rows: create 1, update 0, delete 0'
        (Get-WeComJob -JobId $job.JobId).Results[0].UserId | Should -Be 'csv.job' -Because 'the object keeps the typed list'
        $journal = Join-Path $TestDrive 'journal.jsonl'
        'UserId,Position', 'LiSi,表格总监' | ConvertFrom-Csv | Compare-WeComUser | Invoke-WeComPlan -Confirm:$false -JournalPath $journal | Out-Null
        $entry = Get-WeComJournal $journal
        $entry.Changes[0].New | Should -Be '表格总监'
        $text = $entry | ConvertTo-Csv | Out-String
        $text | Should -Not -Match 'System\.'
        ($entry | ConvertTo-Csv | ConvertFrom-Csv).Changes | Should -Match '表格总监'
    }

    It 'gives tag members one set of columns, departments named, and binds each kind only where it belongs' {
        $members = Get-WeComTagMember -TagId 1
        $shapes = $members | ForEach-Object { ($_.PSObject.Properties.Name) -join ',' } | Sort-Object -Unique
        @($shapes).Count | Should -Be 1
        $shapes | Should -Match 'UserId' 
        $shapes | Should -Match 'DepartmentId'
        $rows = $members | ConvertTo-Csv | ConvertFrom-Csv
        ($rows | Where-Object MemberType -EQ Department).DepartmentId | Should -Be '8'
        ($rows | Where-Object MemberType -EQ Department).Name | Should -Be '基础架构组'
        ($rows | Where-Object UserId -EQ WangWu).Name | Should -Be '王五'
        ($members | ConvertTo-Json | ConvertFrom-Json | ForEach-Object { $_.PSObject.Properties.Name -join ',' } | Sort-Object -Unique) | Should -HaveCount 1
        ($members | Format-Table | Out-String) | Should -Match '8\s+基础架构组'

        $users = ($members | Get-WeComUser).UserId
        $users | Should -Contain 'WangWu'
        $users | Should -Contain 'LiangBa' -Because 'the tagged department 8 stands for its members'
        ($rows | Get-WeComUser).UserId | Sort-Object | Should -Be ($users | Sort-Object) -Because 'an exported CSV binds as the objects do'
        $departments = $members | Get-WeComDepartment -ErrorVariable err -ErrorAction SilentlyContinue
        $departments.Id | Should -Be 8
        $err.Count | Should -Be 3
        $err[0].Exception.Message | Should -Match "WeComTagUser 'SunQi' is not a department"
        $members | Where-Object MemberType -EQ Department | Set-WeComUser -Position x -WhatIf -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].Exception.Message | Should -Match "WeComTagDepartment '8' is not a member"
        $said = Get-HostText { $rows | Remove-WeComTagUser -WhatIf }
        $said | Should -Match 'department 8 基础架构组'
        $said | Should -Match 'user SunQi \(孙七\)'
    }

    It 'creates members from an exported CSV in another corp' {
        $path = Join-Path $TestDrive 'export.csv'
        Get-WeComUser -DepartmentId 6 | Export-Csv $path -NoTypeInformation -Encoding utf8
        Connect-FreshCorp
        Remove-WeComUser WuJiu -Confirm:$false
        Import-Csv $path | Where-Object UserId -EQ 'WuJiu' | New-WeComUser -WarningVariable warned | Out-Null
        $warned | Should -BeNullOrEmpty -Because 'the columns a member exports with are no typos'
        (Get-WeComUser WuJiu).Department | Should -Be 6
    }
}

Describe 'Connections' -Tag CI {
    BeforeAll {
        if ($script:server) { Stop-TestSandboxServer $script:server }
        $script:server = Start-TestSandboxServer
        Get-WeComConnection | Disconnect-WeCom
    }

    It 'writes nothing to the pipeline unless -PassThru' {
        $written = Connect-WeCom -CorpId $SandboxCorpId -Secret (ConvertTo-TestSecret $SandboxSecret) -BaseUri $server.BaseUri -Name first
        $written | Should -BeNullOrEmpty
        $connection = Connect-WeCom -CorpId $SandboxCorpId -Secret (ConvertTo-TestSecret $SandboxSecret) -BaseUri $server.BaseUri -Name second -PassThru
        $connection.Name | Should -BeExactly 'second'
        $connection.IsCurrent | Should -BeTrue
    }

    It 'shows an admin only what a connection is, in Format-List * and JSON' {
        $connection = Get-WeComConnection -Current
        $shown = ($connection | Format-List * | Out-String) + ($connection | ConvertTo-Json -Depth 2 -WarningAction SilentlyContinue)
        $shown | Should -Match 'CorpId'
        $shown | Should -Not -Match 'Departments|Users|Tags|Jobs|Exports|Operations'
        $shown | Should -Match 'Retry\s+: MaxAttempts 5, .*MaxBlockWait 00:01:30' -Because 'the retry settings read as settings, not as a type name'
    }

    It 'marks the current connection' {
        $all = Get-WeComConnection
        ($all | Where-Object IsCurrent).Name | Should -BeExactly 'second'
        ($all | Where-Object Name -EQ 'first').IsCurrent | Should -BeFalse
        Get-WeComConnection | Format-Table | Out-String | Should -Match '\*\s+second'
    }

    It 'makes the latest remaining connection current when the current one goes, or says none is' {
        Connect-WeCom -CorpId $SandboxCorpId -Secret (ConvertTo-TestSecret $SandboxSecret) -BaseUri $server.BaseUri -Name third
        Disconnect-WeCom -Name third
        (Get-WeComConnection -Current).Name | Should -BeExactly 'second'
        Disconnect-WeCom -Name first
        (Get-WeComConnection -Current).Name | Should -BeExactly 'second'
        $said = Disconnect-WeCom -Verbose 4>&1
        ($said | Out-String) | Should -Match 'No WeCom connection is current'
        Get-WeComConnection | Should -BeNullOrEmpty
    }
}

Describe 'Names on tag members and job results' -Tag CI {
    BeforeAll { Connect-FreshCorp }

    It 'names tagged departments and fills TagName wherever tag members come out' {
        $department = Get-WeComTagMember -TagId 1 -MemberType Department
        $department.Name | Should -BeExactly '基础架构组'
        $added = Add-WeComTagUser -TagId 3 -UserId LiSi -DepartmentId 5 -PassThru
        $added.TagName | Sort-Object -Unique | Should -BeExactly '值班'
        ($added | Where-Object MemberType -EQ Department).Name | Should -BeExactly '邮箱后台组'
        ($added | Where-Object UserId -EQ LiSi).Name | Should -BeExactly '李四'
        $removed = Remove-WeComTagUser -TagId 3 -UserId LiSi -PassThru -Confirm:$false
        $removed.Name | Should -BeExactly '李四' -Because 'the name is read before the user leaves the tag'
        $removed.TagName | Should -BeExactly '值班'
        $exported = Export-WeComTagUser -TagId 1
        $exported.TagName | Sort-Object -Unique | Should -BeExactly '技术委员会'
        ($exported | Where-Object MemberType -EQ Department).Name | Should -BeExactly '基础架构组'
    }

    It 'names the departments in the progress bar of a member read' {
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript("Import-Module '$ModulePath'; Connect-WeCom -Sandbox; Get-WeComUser -DepartmentId 企业微信产品部 -Recurse | Out-Null").Invoke()
            $activities = $ps.Streams.Progress.Activity | Where-Object { $_ -like 'Reading members*' } | Sort-Object -Unique
        }
        finally { $ps.Dispose() }
        $activities | Should -Contain 'Reading members of /广州研发中心/企业微信产品部/基础架构组 (8)'
        $activities | Should -Not -Contain 'Reading members of department 8'
    }

    It 'names the rows of a job started here in Get-WeComJob, as Wait-WeComJob does' {
        $job = 'UserId,Name,Mobile,Department', 'hr.new,新同事,13900000099,5', 'WangWu,王五,,' | ConvertFrom-Csv |
            Sync-WeComUser -NoWait -Confirm:$false
        $waited = $job | Wait-WeComJob
        $got = Get-WeComJob -JobId $job.JobId
        foreach ($rows in $waited, $got.Results) {
            $new = $rows | Where-Object UserId -EQ 'hr.new'
            $new.Name | Should -BeExactly '新同事'
            $new.Action | Should -Be 'Create'
            ($rows | Where-Object UserId -EQ 'WangWu').Action | Should -Be 'Update'
        }
    }
}

Describe 'Finding things' -Tag CI {
    BeforeAll { Connect-FreshCorp }

    It 'finds members by name, with several patterns and wildcards' {
        $found = Get-WeComUser -Name 李四, '王*'
        $found.UserId | Sort-Object | Should -Be @('LiSi', 'WangWu')
        $found[0].Mobile | Should -Not -BeNullOrEmpty -Because 'full records are read for the matches'
        Get-WeComUser -Name '*六' -Simple | ForEach-Object UserId | Sort-Object | Should -Be @('MaLiu', 'XiaoLiu', 'ZhaoLiu')
    }

    It 'finds members by name only where -DepartmentId and -Recurse say' {
        (Get-WeComUser -DepartmentId 2 -Recurse -Name '*六').UserId | Sort-Object | Should -Be @('XiaoLiu', 'ZhaoLiu')
        Get-WeComUser -DepartmentId 2 -Name '*六' | ForEach-Object UserId | Should -Be 'XiaoLiu'
    }

    It 'reports a whole name that matches no one' {
        Get-WeComUser -Name 无名氏, '李*' -ErrorVariable err -ErrorAction SilentlyContinue | ForEach-Object UserId | Should -Be 'LiSi'
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeExactly 'UserNotFound,WeComPS.Commands.GetWeComUserCommand'
        $err[0].Exception.Message | Should -Match '无名氏'
    }

    It 'lists the tags of a member' {
        (Get-WeComUser WangWu | Get-WeComTag).TagName | Should -BeExactly '技术委员会'
        (Get-WeComTag -UserId ZhaoLiu, HanYi).TagId | Sort-Object | Should -Be @(1, 2)
        Get-WeComTag -UserId ZhangSan | Should -BeNullOrEmpty
    }

    It 'looks an email up in both mailboxes unless -EmailType says which' {
        $corporate = Get-WeComUserId -Email LiSi@sandbox.wecom.work
        $corporate.UserId | Should -BeExactly 'LiSi'
        $corporate.EmailType | Should -Be 'Corporate'
        $personal = Get-WeComUserId -Email WangWu@example.com
        $personal.UserId | Should -BeExactly 'WangWu'
        $personal.EmailType | Should -Be 'Personal'
        Get-WeComUserId -Email WangWu@example.com -EmailType Corporate -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeExactly 'UserNotFound,WeComPS.Commands.GetWeComUserIdCommand'
        $err[0].ErrorDetails.RecommendedAction | Should -Match '-EmailType Personal'
        $err[0].ErrorDetails.RecommendedAction | Should -Not -Match 'Get-WeComUser'
    }

    It 'completes userids and department names' {
        $users = TabExpansion2 -inputScript 'Set-WeComUser -UserId Li' -cursorColumn 'Set-WeComUser -UserId Li'.Length
        $users.CompletionMatches.CompletionText | Should -Contain 'LiSi'
        $users.CompletionMatches.CompletionText | Should -Contain 'LiangBa'
        $byName = TabExpansion2 -inputScript 'Remove-WeComUser 李' -cursorColumn 'Remove-WeComUser 李'.Length
        $byName.CompletionMatches.CompletionText | Should -Contain 'LiSi'
        $departments = TabExpansion2 -inputScript 'Get-WeComDepartment -Name 邮箱' -cursorColumn 'Get-WeComDepartment -Name 邮箱'.Length
        $departments.CompletionMatches.CompletionText | Should -Be @('邮箱产品部', '邮箱后台组', '邮箱前端组')
    }
}

Describe 'Messages said once, rightly' -Tag CI {
    BeforeAll { Connect-FreshCorp }

    It 'shows WeCom''s advice once, as the recommended action, and keeps errmsg on the exception' {
        Get-WeComUser -UserId nobody -ErrorVariable err -ErrorAction SilentlyContinue
        $record = $err[0]
        $advice = $record.ErrorDetails.RecommendedAction
        $advice | Should -Not -BeNullOrEmpty
        $advice | Should -Not -Match 'Get-WeComUser -UserId|with Get-WeComUser\.' -Because 'advice for a missing userid must not send the admin back to the same look-up'
        $record.ErrorDetails.Message | Should -Not -Match ([regex]::Escape($advice))
        $record.Exception.ErrMsg | Should -Not -BeNullOrEmpty
        ($record | Out-String) -split [regex]::Escape($advice) | Should -HaveCount 2 -Because 'the advice is shown exactly once'
    }

    It 'names the member who already has an email or a mobile number' {
        New-WeComUser dup.mail 重复 -Email WangWu@example.com -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'EmailExists,*'
        $err[0].Exception.Message | Should -Match "'WangWu@example.com' is already used by WangWu"
        New-WeComUser dup.mobile 重复 -Mobile 13810000003 -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].Exception.Message | Should -Match "'13810000003' is already used by WangWu"
    }

    It 'refuses an extended attribute that is a list, and a body that is not JSON' {
        Set-WeComUser LiSi -ExtAttr @{ 工号 = @(1, 2) } -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeExactly 'InvalidExtAttr,WeComPS.Commands.SetWeComUserCommand'
        $err[0].Exception.Message | Should -Match "'工号' must be one text value, not a list"
        (Get-WeComUser LiSi).ExtAttr.'工号' | Should -Be 'E1002'
        Invoke-WeComApi user/update -Body @{ userid = 'LiSi'; loop = [System.IO.MemoryStream]::new() } -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeExactly 'InvalidBody,WeComPS.Commands.InvokeWeComApiCommand'
        $err[0].Exception.Message | Should -Match 'cannot be sent as JSON'
    }

    It 'says inside ForEach-Object -Parallel to pass the connection' -Skip:($PSVersionTable.PSVersion.Major -lt 7) {
        $module = $ModulePath
        $said = 1 | ForEach-Object -Parallel {
            Import-Module $using:module
            try { Get-WeComUser LiSi -ErrorAction Stop } catch { $_.Exception.Message }
        }
        $said | Should -Match '-Connection \$using:conn'
        $conn = Get-WeComConnection -Current
        $found = 1 | ForEach-Object -Parallel { Import-Module $using:module; Get-WeComUser LiSi -Connection $using:conn }
        $found.UserId | Should -BeExactly 'LiSi'
    }
}
